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
    # Teachers' own choices (kept by the coaching app): coachees who withdrew their coach's view,
    # and teachers who let their principal see their classrooms.
    coach_withdrawn: set[int] = field(default_factory=set)
    principal_allowed: set[int] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    roles_in: dict[int, set[str]] = field(default_factory=dict)  # district id -> roles held there
    member_schools: set[int] = field(default_factory=set)  # schools named on any membership


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
        grants.roles_in.setdefault(m.district_id, set()).add(m.role)
        if m.school_id:
            grants.member_schools.add(m.school_id)
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
    if _sharing_source is not None and (grants.coachee_ids or grants.principal_of):
        for teacher_id, coach_may_see, principal_may_see in _sharing_source(district_ids=grants.district_ids):
            if not coach_may_see:
                grants.coach_withdrawn.add(teacher_id)
            if principal_may_see:
                grants.principal_allowed.add(teacher_id)
    user._pdc_grants = grants
    return grants


# The coaching app keeps teachers' sharing choices and registers where to read them (districts
# imports no other app): `source(district_ids=...)` yields (teacher_id, coach_may_see,
# principal_may_see) for teachers who changed a default (coach: yes; principal: no).
_sharing_source = None


def register_sharing_source(source) -> None:
    global _sharing_source
    _sharing_source = source


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
        | Q(teacher_id__in=g.coachee_ids - g.coach_withdrawn, school__district_id__in=g.coach_in)
        | Q(share_results_with_leaders=True, school__district_id__in=g.leader_of)
        | Q(share_results_with_leaders=True, school_id__in=g.principal_of)
        | Q(teacher_id__in=g.principal_allowed, school_id__in=g.principal_of)
    )


def may_see_classroom_results(user: User, classroom: Classroom) -> bool:
    """The teacher; their current coach unless the teacher withdrew it; the school's principal if the
    teacher allowed it; leaders of the school or district when the classroom is shared with leaders."""
    g = _grants(user)
    district_id = classroom.school.district_id
    if district_id not in g.district_ids:
        return False
    if classroom.teacher_id == user.pk:
        return True
    if classroom.teacher_id in g.coachee_ids - g.coach_withdrawn and district_id in g.coach_in:
        return True
    if classroom.teacher_id in g.principal_allowed and classroom.school_id in g.principal_of:
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


def check_library_entry(
    user: User, district: District | int | None, *, need: str = "view", noun: str = "instrument"
) -> None:
    """May the user `need` ("view", "change" or "adapt") a library entry owned by `district`?

    Library entries are instruments and rubrics (`noun`). Any member of a district views the
    starters and their districts' own entries; another district's entry is 404. Only a district's
    leaders change its entries; a leader of any district may adapt (copy) an entry into a district
    they lead. Raises Http404 or PermissionDenied.
    """
    if need not in ("view", "change", "adapt"):
        raise ValueError(f"unknown need {need!r}")
    g = _grants(user)
    if not g.district_ids or (district is not None and _id(district) not in g.district_ids):
        raise Http404(f"No such {noun}")
    if need == "change" and not may_change_library_entry(user, district):
        if district is None:
            raise PermissionDenied(f"Starter {noun}s are read-only: adapt one for your district.")
        raise PermissionDenied(f"Only district leaders may change {noun}s.")
    if need == "adapt" and not g.leader_of:
        raise PermissionDenied(f"Only district leaders may adapt {noun}s.")


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


# --- improvement plans and cycles -------------------------------------------------------------
# The cycles app owns priorities, logic models and improvement cycles; callers pass the ids this
# module needs, so it imports nothing from there. Scopes are the cycle scope values:
# "classroom", "teacher", "school", "district", "network".
# - The plan (priorities, logic models, district and school cycles) is seen by everyone in the
#   district; partners see it when the district shares with partners.
# - District leaders change the district's plan and any school's; principals their school's.
# - A classroom or teacher cycle is its owner's: the owner and the team change it; the teacher
#   of its classroom, the teacher's coaches, the school's principal and the district's leaders see
#   it. Its classroom's survey results still follow the classroom rules above.

_PERSONAL_SCOPES = ("classroom", "teacher")


def may_see_plan(user: User, district: District | int) -> bool:
    g = _grants(user)
    did = _id(district)
    if did not in g.district_ids:
        return False
    if did in g.leader_of or did in g.coach_in or did in g.teacher_in:
        return True
    if g.principal_of and School.objects.filter(pk__in=g.principal_of, district_id=did).exists():
        return True
    return did in g.shared_partner_of


def may_change_plan(user: User, *, district: District | int, school: School | int | None = None) -> bool:
    """Leaders change their district's priorities and logic models; principals their school's."""
    g = _grants(user)
    if _id(district) in g.leader_of:
        return True
    return school is not None and _id(school) in g.principal_of


def check_plan(user: User, *, district: District | int, school: School | int | None = None, need="view") -> None:
    """404 outside the user's districts; 403 when the user may not `need` ("view" or "change")."""
    if _id(district) not in _grants(user).district_ids:
        raise Http404("Not found")
    if not may_see_plan(user, district):
        raise PermissionDenied("You may not see this district's plan.")
    if need == "change" and not may_change_plan(user, district=district, school=school):
        raise PermissionDenied("Only district leaders, or the school's principal, may change this.")


def plan_schools(user: User, district: District | int) -> QuerySet[School]:
    """Schools whose plan (priorities, cycles) the user may change in a district."""
    g = _grants(user)
    if _id(district) in g.leader_of:
        return School.objects.filter(district_id=_id(district))
    return School.objects.filter(district_id=_id(district), pk__in=g.principal_of)


def _cycle_people(user: User, owner_id: int, team_ids) -> bool:
    return user.pk == owner_id or user.pk in set(team_ids)


def may_see_cycle(
    user: User,
    *,
    district: District | int,
    scope: str,
    owner_id: int,
    team_ids=(),
    school_id: int | None = None,
    classroom: Classroom | None = None,
) -> bool:
    g = _grants(user)
    did = _id(district)
    if did not in g.district_ids:
        return False
    if _cycle_people(user, owner_id, team_ids):
        return True
    if scope not in _PERSONAL_SCOPES:
        return may_see_plan(user, did)
    if did in g.leader_of:
        return True
    if school_id is not None and school_id in g.principal_of:
        return True
    teachers = {owner_id} | ({classroom.teacher_id} if classroom is not None else set())
    if classroom is not None and classroom.teacher_id == user.pk:
        return True
    return did in g.coach_in and bool(teachers & g.coachee_ids)


def may_change_cycle(
    user: User, *, district: District | int, scope: str, owner_id: int, team_ids=(), school_id: int | None = None
) -> bool:
    g = _grants(user)
    did = _id(district)
    if did not in g.district_ids:
        return False
    if _cycle_people(user, owner_id, team_ids):
        return True
    if scope in _PERSONAL_SCOPES:
        return False  # teachers own their classroom cycles
    if scope == "school":
        return did in g.leader_of or (school_id is not None and school_id in g.principal_of)
    return did in g.leader_of


def check_cycle(user: User, *, need: str = "view", **cycle) -> None:
    """404 outside the user's districts; 403 when the user may not `need` ("view" or "change")."""
    if _id(cycle["district"]) not in _grants(user).district_ids:
        raise Http404("No such cycle")
    if not may_see_cycle(user, **cycle):
        raise PermissionDenied("This cycle belongs to a teacher's own work.")
    if need == "change":
        cycle.pop("classroom", None)
        if not may_change_cycle(user, **cycle):
            raise PermissionDenied("Only the cycle's owner and team may change it.")


def may_start_cycle(
    user: User,
    *,
    district: District | int,
    scope: str,
    school: School | int | None = None,
    classroom: Classroom | None = None,
) -> bool:
    """Who may start a cycle of a scope: a teacher (or their coach) for a classroom, anyone for their
    own practice, the principal or leaders for a school, leaders for the district or network."""
    g = _grants(user)
    did = _id(district)
    if did not in g.district_ids:
        return False
    if scope == "classroom":
        return classroom is not None and classroom.school.district_id == did and may_run_surveys(user, classroom)
    if scope == "teacher":
        return True
    if scope == "school":
        return did in g.leader_of or (school is not None and _id(school) in g.principal_of)
    return did in g.leader_of


def cycle_visibility(user: User) -> Q:
    """A filter on improvement cycles (field names of the cycles app) for what the user may see."""
    g = _grants(user)
    shared_plan = {d for d in g.district_ids if may_see_plan(user, d)}
    return (
        Q(owner=user)
        | Q(team=user)
        | Q(district_id__in=shared_plan, scope__in=["school", "district", "network"])
        | Q(district_id__in=g.leader_of)
        | Q(school_id__in=g.principal_of)
        | Q(classroom__teacher=user)
        | Q(district_id__in=g.coach_in, owner_id__in=g.coachee_ids)
        | Q(district_id__in=g.coach_in, classroom__teacher_id__in=g.coachee_ids)
    )


# --- coaching ---------------------------------------------------------------------------------
# Coaching records (cycles and their events, observations, group sessions) belong to the coaching
# app; callers pass ids, so this module needs none of its models. Two levels of sight:
# - NOTES: the whole record, every note included — the cycle's coach and its teacher (for an
#   observation, the observer and the observed teacher; for a group session, its coach and attendees).
# - SUMMARY: that it exists, its focus practice, its kinds and counts — principals of its school
#   and the district's leaders. Never the notes.
# Only the coach (observer) changes a record. A note the coach marks private is the coach's alone.

COACHING_NOTES = "notes"
COACHING_SUMMARY = "summary"


def coaching_level(
    user: User,
    *,
    district_id: int,
    school_id: int | None,
    coach_id: int | None,
    teacher_ids: set[int] | frozenset[int] = frozenset(),
) -> str | None:
    """COACHING_NOTES, COACHING_SUMMARY or None for a coaching record with these owners."""
    g = _grants(user)
    if district_id not in g.district_ids:
        return None
    if user.pk == coach_id or user.pk in teacher_ids:
        return COACHING_NOTES
    if district_id in g.leader_of or (school_id is not None and school_id in g.principal_of):
        return COACHING_SUMMARY
    return None


def check_coaching_record(
    user: User,
    *,
    district_id: int,
    school_id: int | None,
    coach_id: int | None,
    teacher_ids: set[int] | frozenset[int] = frozenset(),
    need: str = "summary",
) -> str:
    """May the user `need` ("summary", "notes" or "change") a coaching record? Returns the level.

    404 outside the user's districts; 403 for a member who may not (another coach, a teacher who is
    not part of it, a principal of another school, a principal or leader asking for the notes).
    """
    if need not in ("summary", "notes", "change"):
        raise ValueError(f"unknown need {need!r}")
    g = _grants(user)
    if district_id not in g.district_ids:
        raise Http404("No such coaching record")
    level = coaching_level(
        user, district_id=district_id, school_id=school_id, coach_id=coach_id, teacher_ids=teacher_ids
    )
    if need == "change":
        allowed = user.pk == coach_id and district_id in g.coach_in
    elif need == "notes":
        allowed = level == COACHING_NOTES
    else:
        allowed = level is not None
    if not allowed:
        raise PermissionDenied("Coaching notes are for the coach and the teacher.")
    return level


def may_see_private_note(user: User, *, coach_id: int | None) -> bool:
    """A note the coach marked private: the coach only (not the teacher, never a leader)."""
    return getattr(user, "is_authenticated", False) and user.pk == coach_id


def coaching_records_q(user: User) -> Q:
    """Filter for coaching records (fields district, school, coach, teacher) the user may know exist."""
    g = _grants(user)
    if not user.is_authenticated or not g.district_ids:
        return Q(pk__in=[])
    return Q(district_id__in=g.district_ids) & (
        Q(coach=user) | Q(teacher=user) | Q(district_id__in=g.leader_of) | Q(school_id__in=g.principal_of)
    )


def may_coach(user: User, *, teacher_id: int, district_id: int) -> bool:
    """May the user start a coaching cycle (or record an observation) with this teacher?

    Only a coach assigned to the teacher in that district for the current school year.
    """
    g = _grants(user)
    if district_id not in g.coach_in or teacher_id not in g.coachee_ids:
        return False
    year = District.objects.get(pk=district_id).current_school_year()
    return CoachAssignment.objects.filter(
        coach=user, teacher_id=teacher_id, district_id=district_id, school_year=year
    ).exists()


def coaching_activity_schools(user: User) -> QuerySet[School]:
    """Schools whose coaching activity the user sees in aggregate (counts and kinds, no notes)."""
    g = _grants(user)
    return School.objects.filter(Q(pk__in=g.principal_of) | Q(district_id__in=g.leader_of))


def may_see_coaching_activity(user: User, school: School) -> bool:
    g = _grants(user)
    return school.pk in g.principal_of or school.district_id in g.leader_of


def get_coaching_activity_school(user: User, school_id: int) -> School:
    school = schools(user).filter(pk=school_id).select_related("district").first()
    if school is None:
        raise Http404("No such school")
    if not may_see_coaching_activity(user, school):
        raise PermissionDenied("Only the school's principal and district leaders see its coaching activity.")
    return school


def group_session_schools(user: User) -> QuerySet[School]:
    """Schools where the user may lead a group session: the schools they coach at, else their districts'."""
    g = _grants(user)
    if g.coach_schools:
        return School.objects.filter(pk__in=g.coach_schools)
    return School.objects.filter(district_id__in=g.coach_in)


def check_rubric(user: User, district: District | int | None, *, need: str = "view") -> None:
    """Observation rubrics follow the instrument library's rules."""
    check_library_entry(user, district, need=need, noun="rubric")


# --- feedback reports and recommendations -----------------------------------------------------
# The partnership's yearly feedback reports and the uptake of their recommendations (cycles app).
# District leaders and the partnership's researchers (the partner role) record and edit them;
# principals and coaches read them; teachers do not see them.


def may_see_recommendations(user: User, district: District | int) -> bool:
    g = _grants(user)
    did = _id(district)
    if did in g.leader_of or did in g.partner_of or did in g.coach_in:
        return True
    return School.objects.filter(pk__in=g.principal_of, district_id=did).exists()


def may_change_recommendations(user: User, district: District | int) -> bool:
    g = _grants(user)
    return _id(district) in g.leader_of | g.partner_of


def check_recommendations(user: User, district: District | int, *, need: str = "view") -> None:
    """404 outside the user's districts; 403 when the user may not `need` ("view" or "change")."""
    if _id(district) not in _grants(user).district_ids:
        raise Http404("Not found")
    if not may_see_recommendations(user, district):
        raise PermissionDenied("Feedback reports are for district leaders, partners, principals and coaches.")
    if need == "change" and not may_change_recommendations(user, district):
        raise PermissionDenied("Only district leaders and the partnership's researchers change feedback reports.")


# --- PD series and sessions -------------------------------------------------------------------
# The cycles app owns PD series (seed 004); callers pass the facts this module needs:
# facilitator_ids, audience_roles, audience_school_ids (empty = every school), attendee_ids.
# - District leaders and the series' facilitators design and run it (sessions, agendas,
#   check-in, feedback survey); leaders start a series.
# - Participants see the agenda: members of the district whose role is in the audience (at an
#   audience school, when the series names schools), and anyone who attended a session.
# - Session feedback results: facilitators and district leaders only (always suppressed below
#   the district's minimum group size).
# - The facilitation review is for the reviewed leaders' learning, not evaluation: district
#   leaders and the partnership's researchers (partners) record it and see all of it; a
#   reviewed leader sees the evidence about themselves.


def may_start_pd_series(user: User, district: District | int) -> bool:
    return _id(district) in _grants(user).leader_of


def may_change_pd_series(user: User, *, district: District | int, facilitator_ids=()) -> bool:
    g = _grants(user)
    did = _id(district)
    return did in g.leader_of or (did in g.district_ids and user.pk in set(facilitator_ids))


def may_see_pd_series(
    user: User,
    *,
    district: District | int,
    facilitator_ids=(),
    audience_roles=(),
    audience_school_ids=(),
    attendee_ids=(),
) -> bool:
    g = _grants(user)
    did = _id(district)
    if did not in g.district_ids:
        return False
    if may_change_pd_series(user, district=did, facilitator_ids=facilitator_ids):
        return True
    if did in g.partner_of or user.pk in set(attendee_ids):
        return True
    if not g.roles_in.get(did, set()) & set(audience_roles):
        return False
    schools = set(audience_school_ids)
    return not schools or bool(schools & g.member_schools)


def may_see_pd_feedback(user: User, *, district: District | int, facilitator_ids=()) -> bool:
    return may_change_pd_series(user, district=district, facilitator_ids=facilitator_ids)


def may_review_facilitation(user: User, district: District | int) -> bool:
    """Record facilitation evidence and analytic memos: leaders and the partnership's researchers."""
    g = _grants(user)
    return _id(district) in g.leader_of | g.partner_of


def facilitation_evidence_q(user: User, district: District | int) -> Q:
    """A filter on facilitation evidence (field names of the cycles app) the user may read."""
    if may_review_facilitation(user, district):
        return Q(session__series__district_id=_id(district))
    return Q(session__series__district_id=_id(district), leader=user)


def check_pd_series(user: User, *, need: str = "view", **series) -> None:
    """404 outside the user's districts; 403 when the user may not `need`: "view", "change",
    "feedback" (see the feedback results) or "review" (record facilitation evidence)."""
    district = series["district"]
    if _id(district) not in _grants(user).district_ids:
        raise Http404("No such PD series")
    if not may_see_pd_series(user, **series):
        raise PermissionDenied("This PD series is for another audience.")
    facilitators = series.get("facilitator_ids", ())
    if need in ("change", "feedback") and not may_change_pd_series(
        user, district=district, facilitator_ids=facilitators
    ):
        raise PermissionDenied("Only the series' facilitators and district leaders may do this.")
    if need == "review" and not may_review_facilitation(user, district):
        raise PermissionDenied("District leaders and the partnership's researchers record the facilitation review.")


def pd_series_visibility(user: User) -> Q:
    """A filter on PD series (field names of the cycles app) for the series the user may see.

    Audience roles are matched in Python by the caller's list page (a JSON list); this filter
    narrows to the user's districts and is exact for leaders, partners, facilitators and attendees."""
    g = _grants(user)
    return Q(district_id__in=g.district_ids)
