"""Improvement plans (priorities, logic models) and improvement cycles."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from ..models import Classroom, District, School, User
from .core import _grants, _id
from .places import classrooms_to_run, may_run_surveys

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
        raise PermissionDenied(gettext("You may not see this district's plan."))
    if need == "change" and not may_change_plan(user, district=district, school=school):
        raise PermissionDenied(gettext("Only district leaders, or the school's principal, may change this."))


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
        raise PermissionDenied(gettext("This cycle belongs to a teacher's own work."))
    if need == "change":
        cycle.pop("classroom", None)
        if not may_change_cycle(user, **cycle):
            raise PermissionDenied(gettext("Only the cycle's owner and team may change it."))


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


def cycle_scopes(user: User, district: District | int) -> list[str]:
    """The scopes of may_start_cycle this user may start in a district (for the cycle form's menu):
    classroom only with a class of their own or a coachee's, school only as leader or principal."""
    g = _grants(user)
    did = _id(district)
    if did not in g.district_ids:
        return []
    scopes = []
    if classrooms_to_run(user).filter(school__district_id=did).exists():
        scopes.append("classroom")
    scopes.append("teacher")
    if did in g.leader_of or School.objects.filter(pk__in=g.principal_of, district_id=did).exists():
        scopes.append("school")
    if did in g.leader_of:
        scopes += ["district", "network"]
    return scopes


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
