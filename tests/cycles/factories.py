"""Factories for the cycles app (deterministic sequences)."""

import datetime

import factory

from cycles.models import CycleKind, CycleScope, ImprovementCycle, Priority
from tests.factories import current_school_year

TODAY = datetime.date.today()


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    title = factory.Sequence(lambda n: f"Priority {n}")
    problem_of_practice = "Few students explain their reasoning."
    school_year = factory.LazyAttribute(lambda o: current_school_year(o.district))


class CycleFactory(factory.django.DjangoModelFactory):
    """A classroom PDSA by default: pass classroom (its teacher owns it) or override scope/owner."""

    class Meta:
        model = ImprovementCycle

    kind = CycleKind.PDSA
    title = factory.Sequence(lambda n: f"Cycle {n}")
    aim = "More productive discussion."
    scope = CycleScope.CLASSROOM
    start = TODAY - datetime.timedelta(days=14)
    end = TODAY + datetime.timedelta(days=14)
    school = factory.LazyAttribute(lambda o: o.classroom.school if o.classroom else None)
    district = factory.LazyAttribute(lambda o: o.classroom.school.district if o.classroom else o.school.district)
    owner = factory.LazyAttribute(lambda o: o.classroom.teacher)
    school_year = factory.LazyAttribute(lambda o: o.district.school_year_of(o.start))
