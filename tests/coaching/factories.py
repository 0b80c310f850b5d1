"""Coaching test data: made through coaching.services where a rule applies, factories otherwise."""

import datetime
import uuid

import factory

from coaching import services
from coaching.models import CoachingCycle, CoachingEvent, EventKind, GroupSession, GroupSessionKind, Rubric
from districts.models import Role
from tests.factories import MembershipFactory, UserFactory, current_school_year

STARTER = uuid.UUID("5d0c2f0e-7c1a-4a51-9a43-3c3e6a1b2f71")


def starter_rubric() -> Rubric:
    return Rubric.objects.get(lineage=STARTER, version=1)


def make_coach(district, school, name="second_coach"):
    """A coach at the school, assigned to no one."""
    user = UserFactory(email=f"{name}@example.org", full_name=name.replace("_", " ").title())
    MembershipFactory(user=user, district=district, school=school, role=Role.COACH)
    return user


class CoachingCycleFactory(factory.django.DjangoModelFactory):
    """A cycle without the assignment check (use services.cycle_start to test that rule)."""

    class Meta:
        model = CoachingCycle

    district = factory.LazyAttribute(lambda o: o.school.district)
    school_year = factory.LazyAttribute(lambda o: current_school_year(o.district))
    focus_practice = factory.Sequence(lambda n: f"Focus practice {n}")
    goal = "My students explain why their strategy works."


class CoachingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingEvent

    kind = EventKind.PRE_CONFERENCE
    date = factory.LazyFunction(datetime.date.today)
    note = factory.Sequence(lambda n: f"Coaching note {n}")


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    district = factory.LazyAttribute(lambda o: o.school.district)
    kind = GroupSessionKind.STUDENT_WORK
    date = factory.LazyFunction(datetime.date.today)
    notes = "Group session notes"


def start_cycle(personas, **kwargs):
    """The home coach's cycle with the home teacher, in the teacher's classroom."""
    defaults = dict(
        coach=personas.coach,
        teacher=personas.teacher,
        district=personas.district,
        classroom=personas.classroom,
        focus_practice="Pressing for reasoning",
        goal="I want my students to explain why, not only how.",
    )
    defaults.update(kwargs)
    return services.cycle_start(**defaults)


def observe(personas, *, scores=None, rubric=None, cycle=None, day=None, observer=None):
    rubric = rubric or starter_rubric()
    dims = list(rubric.dimensions.order_by("order"))
    scores = scores if scores is not None else {d.pk: (2, f"Evidence for {d.name}") for d in dims}
    return services.observation_record(
        observer=observer or personas.coach,
        rubric=rubric,
        district=personas.district,
        teacher=personas.teacher,
        classroom=personas.classroom,
        cycle=cycle,
        observed_on=day,
        scores=scores,
    )
