"""Coaching records: two levels of sight, notes and summary."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from ..models import CoachAssignment, District, School, User
from .core import _grants
from .places import schools

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
        allowed = may_change_coaching_record(user, district_id=district_id, coach_id=coach_id)
    elif need == "notes":
        allowed = level == COACHING_NOTES
    else:
        allowed = level is not None
    if not allowed:
        raise PermissionDenied(gettext("Coaching notes are for the coach and the teacher."))
    return level


def may_change_coaching_record(user: User, *, district_id: int, coach_id: int | None) -> bool:
    """Only the record's coach (an observation's observer, a group session's coach) changes it, and
    only while they hold the coach role in its district: not its teacher, not a leader or principal,
    not another coach of the school."""
    return user.is_authenticated and user.pk == coach_id and district_id in _grants(user).coach_in


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
        raise PermissionDenied(gettext("Only the school's principal and district leaders see its coaching activity."))
    return school


def group_session_schools(user: User) -> QuerySet[School]:
    """Schools where the user may lead a group session: the schools they coach at, else their districts'."""
    g = _grants(user)
    if g.coach_schools:
        return School.objects.filter(pk__in=g.coach_schools)
    return School.objects.filter(district_id__in=g.coach_in)
