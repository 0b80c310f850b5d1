"""PD series and sessions, their feedback and the facilitation review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext

from ..models import District, User
from .core import _grants, _id

# --- PD series and sessions -------------------------------------------------------------------
# The cycles app owns PD series (seed 004); callers pass the facts this module needs:
# facilitator_ids, audience_roles, audience_school_ids (empty = every school), attendee_ids.
# - District leaders and the series' facilitators design and run it (sessions, agendas,
#   check-in, feedback survey); leaders start a series.
# - A session (its details, agenda, attendance, check-in) is changed by the same people as its
#   series, whatever its kind: see may_change_pd_session for the math-leader PD.
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
    # The audience is a role at a school: one membership must hold both (a district-wide
    # membership, with no school, counts for every school), as pd.selectors.audience_people lists.
    roles, schools = set(audience_roles), set(audience_school_ids)
    return any(
        d == did and role in roles and (not schools or school is None or school in schools)
        for d, role, school in g.memberships
    )


def may_change_pd_session(user: User, *, district: District | int, facilitator_ids=()) -> bool:
    """Who edits a session — its details, its agenda (activities) and its attendance — and runs its
    check-in: the district's leaders and the series' facilitators, for every kind of session.

    A math-leader PD session (kind "leader_pd") is no exception. Its series' facilitators are the
    math leaders (often coaches) who co-plan it with the district's leaders and then lead the
    series' pilot PD (seed 004), so a coach who facilitates the series edits it. Being in its
    audience is not enough: a coach the series is for (audience role "coach"), or who attended the
    session, sees its agenda and may not change it; nor may any other coach of the district."""
    return may_change_pd_series(user, district=district, facilitator_ids=facilitator_ids)


def may_delete_pd_series(user: User, district: District | int) -> bool:
    """A series, with everything in it, is deleted by the district's leaders only."""
    return may_start_pd_series(user, district)


def may_delete_pd_session(user: User, *, district: District | int, facilitator_ids=(), has_review: bool) -> bool:
    """Facilitators delete their sessions, except one carrying a facilitation review (evidence or a
    memo): the review is for the leaders' learning, so the reviewed may not delete it."""
    if has_review:
        return _id(district) in _grants(user).leader_of
    return may_change_pd_series(user, district=district, facilitator_ids=facilitator_ids)


def may_see_facilitation_review(
    user: User, *, district: District | int, facilitator_ids=(), has_own_evidence: bool = False
) -> bool:
    """The series' review page: leaders and partners, and the reviewed leaders (the facilitators,
    and anyone evidence was recorded about)."""
    if _id(district) not in _grants(user).district_ids:
        return False
    return may_review_facilitation(user, district) or user.pk in set(facilitator_ids) or has_own_evidence


def may_see_pd_feedback(user: User, *, district: District | int, facilitator_ids=()) -> bool:
    return may_change_pd_series(user, district=district, facilitator_ids=facilitator_ids)


def may_review_facilitation(user: User, district: District | int) -> bool:
    """Record facilitation evidence and analytic memos: leaders and the partnership's researchers."""
    g = _grants(user)
    return _id(district) in g.leader_of | g.partner_of


def check_facilitation_review(
    user: User, *, district: District | int, facilitator_ids=(), has_own_evidence: bool = False
) -> None:
    """403 unless may_see_facilitation_review."""
    if may_see_facilitation_review(
        user, district=district, facilitator_ids=facilitator_ids, has_own_evidence=has_own_evidence
    ):
        return
    raise PermissionDenied(gettext("The facilitation review is for the reviewed leaders and the district's leaders."))


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
        raise PermissionDenied(gettext("This PD series is for another audience."))
    facilitators = series.get("facilitator_ids", ())
    if need in ("change", "feedback") and not may_change_pd_series(
        user, district=district, facilitator_ids=facilitators
    ):
        raise PermissionDenied(gettext("Only the series' facilitators and district leaders may do this."))
    if need == "review" and not may_review_facilitation(user, district):
        raise PermissionDenied(
            gettext("District leaders and the partnership's researchers record the facilitation review.")
        )


def check_pd_session(user: User, *, need: str = "view", **series) -> None:
    """A session's page: check_pd_series, with "change" meaning may_change_pd_session."""
    if need != "change":
        check_pd_series(user, need=need, **series)
        return
    check_pd_series(user, need="view", **series)
    if not may_change_pd_session(user, district=series["district"], facilitator_ids=series.get("facilitator_ids", ())):
        raise PermissionDenied(gettext("Only the series' facilitators and district leaders change its sessions."))


def pd_series_visibility(user: User) -> Q:
    """A filter on PD series (field names of the cycles app) for the series the user may see.

    Audience roles are matched in Python by the caller's list page (a JSON list); this filter
    narrows to the user's districts and is exact for leaders, partners, facilitators and attendees."""
    g = _grants(user)
    return Q(district_id__in=g.district_ids)
