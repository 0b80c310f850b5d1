"""factory-boy factories with deterministic sequences."""

import datetime

import factory

from districts.models import Classroom, CoachAssignment, District, Membership, Role, School, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("pass-word-123")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    min_group_size = 10
    school_year_start_month = 8


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")


def current_school_year(district: District | None = None) -> int:
    today = datetime.date.today()
    start = district.school_year_start_month if district else 8
    return today.year if today.month >= start else today.year - 1


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    school = factory.SubFactory(SchoolFactory)
    teacher = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Math 7 ({n})")
    grade = "7"
    course = "Math 7"
    period = factory.Sequence(lambda n: str(n % 7 + 1))
    school_year = factory.LazyAttribute(lambda o: current_school_year(o.school.district))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    school = None
    role = Role.TEACHER


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    district = factory.SubFactory(DistrictFactory)
    coach = factory.SubFactory(UserFactory)
    teacher = factory.SubFactory(UserFactory)
    school_year = factory.LazyAttribute(lambda o: current_school_year(o.district))


def make_instrument(*, name="Test discussion", items=3, district=None, multiple_last=False):
    """A small student instrument: each item has options A (productive), B, C."""
    from measures.models import Instrument, Item, ItemKind, Option

    instrument = Instrument.objects.create(
        name=name, names={"es": f"{name} (es)"}, kind="whole_class", district=district
    )
    for order in range(1, items + 1):
        kind = ItemKind.MULTIPLE if multiple_last and order == items else ItemKind.SINGLE
        item = Item.objects.create(
            instrument=instrument,
            order=order,
            prompt_en=f"Question {order}?",
            texts={"es": f"¿Pregunta {order}?"},
            kind=kind,
        )
        for o, label in enumerate("ABC", start=1):
            Option.objects.create(
                item=item,
                order=o,
                label_en=f"Answer {label}",
                texts={"es": f"Respuesta {label}"},
                value=o,
                productive=o == 1,
            )
    return instrument
