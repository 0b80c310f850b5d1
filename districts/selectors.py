"""Scoped reads for the districts app (home page contents)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import access
from .models import Classroom, CoachAssignment, District, Membership, Role, User


@dataclass
class HomeContent:
    roles: list[str]
    districts: list
    coachees: list = field(default_factory=list)
    people_count: int | None = None


def home_for(user: User) -> HomeContent:
    held = access.roles(user)
    content = HomeContent(
        roles=[label for value, label in Role.choices if value in held],
        districts=list(access.districts(user)),
    )
    if Role.COACH in held:
        content.coachees = list(User.objects.filter(pk__in=access.coachee_ids(user)).order_by("full_name"))
    if Role.DISTRICT_LEADER in held:
        content.people_count = access.people(user).count()
    return content


# --- who sees a teacher's results ------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """One audience of one classroom: who they are and what they see now."""

    key: str  # "coach", "principal", "leaders"
    label: str
    people: tuple[str, ...]
    shared: bool

    @property
    def sees(self) -> str:
        if self.shared:
            return gettext("this classroom's own surveys, trend and weekly export")
        return gettext(
            "only school and district figures, where this classroom counts without its name among at least 3 teachers"
        )


def sharing_overview(teacher: User) -> list[tuple[Classroom, list[Audience]]]:
    """For the teacher's "Who sees my results" page: each classroom with its three audiences."""
    rooms = list(
        Classroom.objects.filter(teacher=teacher)
        .select_related("school__district")
        .order_by("school__name", "period", "name")
    )
    if not rooms:
        return []
    district_ids = {r.school.district_id for r in rooms}
    school_ids = {r.school_id for r in rooms}
    this_year = {d.pk: d.current_school_year() for d in District.objects.filter(pk__in=district_ids)}
    coaches: dict[int, list[str]] = {}
    for district_id, year, name in CoachAssignment.objects.filter(
        teacher=teacher, district_id__in=district_ids
    ).values_list("district_id", "school_year", "coach__full_name"):
        if year == this_year[district_id]:
            coaches.setdefault(district_id, []).append(name)
    principals: dict[int, list[str]] = {}
    for school_id, name in Membership.objects.filter(role=Role.PRINCIPAL, school_id__in=school_ids).values_list(
        "school_id", "user__full_name"
    ):
        principals.setdefault(school_id, []).append(name)
    leaders: dict[int, list[str]] = {}
    for district_id, name in Membership.objects.filter(
        role=Role.DISTRICT_LEADER, district_id__in=district_ids
    ).values_list("district_id", "user__full_name"):
        leaders.setdefault(district_id, []).append(name)
    out = []
    for room in rooms:
        district_id = room.school.district_id
        out.append(
            (
                room,
                [
                    Audience(
                        "coach", gettext("My coach"), tuple(sorted(coaches.get(district_id, []))), room.share_with_coach
                    ),
                    Audience(
                        "principal",
                        gettext("My principal"),
                        tuple(sorted(principals.get(room.school_id, []))),
                        room.share_with_principal,
                    ),  # fmt: skip
                    Audience(
                        "leaders",
                        gettext("District leaders"),
                        tuple(sorted(leaders.get(district_id, []))),
                        room.share_with_leaders,
                    ),  # fmt: skip
                ],
            )
        )
    return out
