"""The one place that decides what a user may see or change.

Rules (DESIGN.md, "Privacy and trust"):
- A user sees nothing outside the districts they hold a membership in: such objects are 404.
- A classroom's own survey results are seen by its teacher and the teacher's current coaches;
  principals (their school) and district leaders see them only when the teacher shares them.
- School aggregates: district leaders (all schools), principals and coaches (their schools),
  partners (when the district shares with partners). District aggregates: district leaders,
  principals, coaches, and partners when shared.
- People, rosters and instruments are managed by district leaders.

Views call these functions; they never re-implement a rule. Memberships are read once per
request and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Classroom, CoachAssignment, District, Membership, Role, School, User


@dataclass
class _Grants:
    district_ids: set[int] = field(default_factory=set)
    leader_of: set[int] = field(default_factory=set)  # district ids
    partner_of: set[int] = field(default_factory=set)  # district ids
    shared_partner_of: set[int] = field(default_factory=set)  # districts sharing with partners
    principal_of: set[int] = field(default_factory=set)  # school ids
    coach_in: set[int] = field(default_factory=set)  # district ids
    coach_schools: set[int] = field(default_factory=set)  # school ids
    teacher_in: set[int] = field(default_factory=set)  # district ids
    coachee_ids: set[int] = field(default_factory=set)  # teacher user ids, current year
    roles: set[str] = field(default_factory=set)


def _grants(user: User) -> _Grants:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _Grants()
    cached = getattr(user, "_pdc_grants", None)
    if cached is not None:
        return cached
    grants = _Grants()
    rows = Membership.objects.filter(user=user).select_related("district")
    for m in rows:
        grants.district_ids.add(m.district_id)
        grants.roles.add(m.role)
        if m.role == Role.DISTRICT_LEADER:
            grants.leader_of.add(m.district_id)
        elif m.role == Role.PARTNER:
            grants.partner_of.add(m.district_id)
            if m.district.share_with_partners:
                grants.shared_partner_of.add(m.district_id)
        elif m.role == Role.PRINCIPAL and m.school_id:
            grants.principal_of.add(m.school_id)
        elif m.role == Role.COACH:
            grants.coach_in.add(m.district_id)
            if m.school_id:
                grants.coach_schools.add(m.school_id)
        elif m.role == Role.TEACHER:
            grants.teacher_in.add(m.district_id)
    if grants.coach_in:
        years = {d.pk: d.current_school_year() for d in District.objects.filter(pk__in=grants.coach_in)}
        q = Q(pk__in=[])
        for district_id, year in years.items():
            q |= Q(district_id=district_id, school_year=year)
        grants.coachee_ids = set(CoachAssignment.objects.filter(q, coach=user).values_list("teacher_id", flat=True))
    user._pdc_grants = grants
    return grants


def forget(user: User) -> None:
    """Drop the cached grants (after a membership change in the same request)."""
    if hasattr(user, "_pdc_grants"):
        del user._pdc_grants


# --- who is what ------------------------------------------------------------------------------


def roles(user: User) -> set[str]:
    return set(_grants(user).roles)


def district_ids(user: User) -> set[int]:
    return set(_grants(user).district_ids)


def districts(user: User) -> QuerySet[District]:
    return District.objects.filter(pk__in=_grants(user).district_ids)


def is_district_leader(user: User, district: District | int | None = None) -> bool:
    g = _grants(user)
    if district is None:
        return bool(g.leader_of)
    return _id(district) in g.leader_of


def is_coach(user: User) -> bool:
    return bool(_grants(user).coach_in)


def is_teacher(user: User) -> bool:
    return bool(_grants(user).teacher_in)


def principal_school_ids(user: User) -> set[int]:
    return set(_grants(user).principal_of)


def coachee_ids(user: User) -> set[int]:
    return set(_grants(user).coachee_ids)


def _id(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


# --- districts and schools --------------------------------------------------------------------


def get_district(user: User, district_id: int) -> District:
    if district_id not in _grants(user).district_ids:
        raise Http404("No such district")
    return District.objects.get(pk=district_id)


def require_district_leader(user: User, district: District | int) -> None:
    if _id(district) not in _grants(user).district_ids:
        raise Http404("No such district")
    if not is_district_leader(user, district):
        raise PermissionDenied("Only district leaders may do this.")


def schools(user: User) -> QuerySet[School]:
    """Schools the user may know exist (any member sees their districts' schools)."""
    return School.objects.filter(district_id__in=_grants(user).district_ids)


def schools_with_aggregates(user: User) -> QuerySet[School]:
    g = _grants(user)
    return School.objects.filter(
        Q(district_id__in=g.leader_of | g.shared_partner_of) | Q(pk__in=g.principal_of | g.coach_schools)
    )


def may_see_school_aggregates(user: User, school: School) -> bool:
    g = _grants(user)
    return school.district_id in g.leader_of | g.shared_partner_of or school.pk in g.principal_of | g.coach_schools


def get_school(user: User, school_id: int, *, need: str = "view") -> School:
    school = schools(user).filter(pk=school_id).select_related("district").first()
    if school is None:
        raise Http404("No such school")
    if need == "aggregates" and not may_see_school_aggregates(user, school):
        raise PermissionDenied("You may not see this school's results.")
    return school


def may_see_district_aggregates(user: User, district: District | int) -> bool:
    g = _grants(user)
    did = _id(district)
    if did in g.leader_of or did in g.shared_partner_of or did in g.coach_in:
        return True
    return bool(g.principal_of) and School.objects.filter(pk__in=g.principal_of, district_id=did).exists()


# --- classrooms -------------------------------------------------------------------------------


def classrooms(user: User) -> QuerySet[Classroom]:
    """Classrooms the user may know exist (their name, teacher, grade), not their results."""
    g = _grants(user)
    if not user.is_authenticated:
        return Classroom.objects.none()
    return Classroom.objects.filter(
        Q(teacher=user, school__district_id__in=g.district_ids)
        | Q(teacher_id__in=g.coachee_ids, school__district_id__in=g.coach_in)
        | Q(school__district_id__in=g.leader_of)
        | Q(school_id__in=g.principal_of)
    )


def classrooms_with_results(user: User) -> QuerySet[Classroom]:
    """Classrooms whose own survey results the user may see."""
    g = _grants(user)
    if not user.is_authenticated:
        return Classroom.objects.none()
    return Classroom.objects.filter(
        Q(teacher=user, school__district_id__in=g.district_ids)
        | Q(teacher_id__in=g.coachee_ids, school__district_id__in=g.coach_in)
        | Q(share_results_with_leaders=True, school__district_id__in=g.leader_of)
        | Q(share_results_with_leaders=True, school_id__in=g.principal_of)
    )


def may_see_classroom_results(user: User, classroom: Classroom) -> bool:
    g = _grants(user)
    district_id = classroom.school.district_id
    if district_id not in g.district_ids:
        return False
    if classroom.teacher_id == user.pk:
        return True
    if classroom.teacher_id in g.coachee_ids and district_id in g.coach_in:
        return True
    if classroom.share_results_with_leaders:
        return district_id in g.leader_of or classroom.school_id in g.principal_of
    return False


def may_run_surveys(user: User, classroom: Classroom) -> bool:
    """The teacher, or the teacher's current coach, may open and close surveys for a classroom."""
    g = _grants(user)
    district_id = classroom.school.district_id
    if district_id not in g.district_ids:
        return False
    return classroom.teacher_id == user.pk or (classroom.teacher_id in g.coachee_ids and district_id in g.coach_in)


def may_change_sharing(user: User, classroom: Classroom) -> bool:
    return classroom.teacher_id == user.pk


def get_classroom(user: User, classroom_id: int, *, need: str = "results") -> Classroom:
    """Fetch a classroom for `need` ("results", "run" or "share").

    404 outside the user's districts, 403 when the role may not do `need`.
    """
    classroom = (
        Classroom.objects.select_related("school__district", "teacher")
        .filter(pk=classroom_id, school__district_id__in=_grants(user).district_ids)
        .first()
    )
    if classroom is None:
        raise Http404("No such classroom")
    check = {
        "results": may_see_classroom_results,
        "run": may_run_surveys,
        "share": may_change_sharing,
    }[need]
    if not check(user, classroom):
        raise PermissionDenied("You may not see this classroom's results.")
    return classroom


# --- people -----------------------------------------------------------------------------------


def people(user: User) -> QuerySet[User]:
    """People a district leader may manage: everyone holding a role in the districts they lead."""
    return User.objects.filter(memberships__district_id__in=_grants(user).leader_of).distinct()


def get_person(user: User, person_id: int) -> User:
    g = _grants(user)
    person = User.objects.filter(pk=person_id, memberships__district_id__in=g.district_ids).distinct().first()
    if person is None:
        raise Http404("No such person")
    if not people(user).filter(pk=person.pk).exists():
        raise PermissionDenied("Only district leaders may manage people.")
    return person


# --- instrument library -----------------------------------------------------------------------
# Library entries are owned by a district, or by no district: the starter instruments every
# district shares. Callers pass the owner's id (None for a starter), so this module needs no model
# from the apps that own the entries. Where a leader may create or adapt: `led_districts(user)`.


def may_change_library_entry(user: User, district: District | int | None) -> bool:
    """Starter entries (no district) are read-only for everyone; a district's own, for its leaders."""
    return district is not None and _id(district) in _grants(user).leader_of


def check_library_entry(user: User, district: District | int | None, *, need: str = "view") -> None:
    """May the user `need` ("view", "change" or "adapt") a library entry owned by `district`?

    Any member of a district views the starters and their districts' own entries; another
    district's entry is 404. Only a district's leaders change its entries; a leader of any district
    may adapt (copy) an entry into a district they lead. Raises Http404 or PermissionDenied.
    """
    if need not in ("view", "change", "adapt"):
        raise ValueError(f"unknown need {need!r}")
    g = _grants(user)
    if not g.district_ids or (district is not None and _id(district) not in g.district_ids):
        raise Http404("No such instrument")
    if need == "change" and not may_change_library_entry(user, district):
        if district is None:
            raise PermissionDenied("Starter instruments are read-only: adapt one for your district.")
        raise PermissionDenied("Only district leaders may change instruments.")
    if need == "adapt" and not g.leader_of:
        raise PermissionDenied("Only district leaders may adapt instruments.")


def led_districts(user: User) -> QuerySet[District]:
    """Districts whose people and rosters the user manages."""
    return District.objects.filter(pk__in=_grants(user).leader_of)


def managed_memberships(user: User, person: User) -> QuerySet[Membership]:
    """The person's roles the user may see and change: those in districts the user leads."""
    return Membership.objects.filter(user=person, district_id__in=_grants(user).leader_of)


def may_edit_account(user: User, person: User) -> bool:
    """Name and active status belong to the whole account, which may span districts: only a
    leader of every district where the person holds a role may change them. Staff accounts
    are changed in the admin."""
    g = _grants(user)
    if not g.leader_of or person.is_staff or person.is_superuser:
        return False
    held = set(Membership.objects.filter(user=person).values_list("district_id", flat=True))
    return bool(held) and held <= g.leader_of
