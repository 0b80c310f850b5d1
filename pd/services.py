"""Writes for PD series and sessions: the series and sessions with their goals (kept as ordered
lines), the agenda and its order, check-in by code, attendance marked by a facilitator, the
feedback survey (on the measures engine), the analytic memo and facilitation evidence.

Callers (views, the demo) check access first (districts.access); these functions take keywords
only, check that the pieces belong to the series' district, and validate with full_clean before
saving, so a refused write leaves nothing behind (views put the ValidationError back on the form).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from districts.models import District, Membership, User
from measures import services as measure_services
from measures.models import Instrument

from .models import (
    Activity,
    Attendance,
    AttendanceMethod,
    FacilitationEvidence,
    PDSeries,
    PDSession,
    SeriesGoal,
    SessionGoal,
)

CHECKIN_MINUTES = 30
FEEDBACK_MINUTES = 15


def goal_lines(text: str) -> list[str]:
    """One goal per non-blank line, in order, stripped of list bullets."""
    lines = [line.strip().lstrip("-•*").strip() for line in (text or "").splitlines()]
    return [line[:300] for line in lines if line]


# --- series and sessions --------------------------------------------------------------------

SERIES_FIELDS = ("title", "school_year", "description", "audience_roles", "audience_grades", "priority")
SESSION_FIELDS = ("title", "kind", "date", "starts_at", "minutes", "place", "focus", "cycle", "video_ref")
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "learning_goal",
    "minutes",
    "led_by",
    "materials",
    "builds_on_activity",
    "builds_on_goal",
)
# Who made a series, or wrote a session's memo, may be missing (a deleted account: SET_NULL); that
# is no reason to refuse an edit, so these are not validated.
UNCHECKED = ["created_by", "memo_by"]


def _set_fields(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _check_series_links(series: PDSeries, *, audience_schools, practices) -> None:
    """The priority, schools and practices of a series are its district's (practices: or published)."""
    errors = {}
    if series.priority is not None and series.priority.district_id != series.district_id:
        errors["priority"] = gettext("The priority must be one of the series' district.")
    if any(school.district_id != series.district_id for school in audience_schools):
        errors["audience_schools"] = gettext("The schools must be of the series' district.")
    if any(p.district_id not in (None, series.district_id) for p in practices):
        errors["practices"] = gettext("The practices must be published ones or the district's own.")
    if errors:
        raise ValidationError(errors)


def _set_series_people(series: PDSeries, *, audience_schools, facilitators, practices) -> None:
    if audience_schools is not None:
        series.audience_schools.set(audience_schools)
    if facilitators is not None:
        series.facilitators.set(facilitators)
    if practices is not None:
        series.practices.set(practices)


def series_create(
    *,
    district: District,
    created_by: User | None,
    audience_schools=(),
    facilitators=(),
    practices=(),
    goals: list[str] = (),
    **fields,
) -> PDSeries:
    """A new series with its audience, facilitators, practices and long-term goals (lines, in order)."""
    series = PDSeries(district=district, created_by=created_by)
    _set_fields(series, fields, SERIES_FIELDS)
    audience_schools, practices = list(audience_schools), list(practices)
    _check_series_links(series, audience_schools=audience_schools, practices=practices)
    series.full_clean(exclude=UNCHECKED)
    with transaction.atomic():
        series.save()
        _set_series_people(series, audience_schools=audience_schools, facilitators=facilitators, practices=practices)
        set_series_goals(series=series, lines=list(goals))
    return series


def series_update(
    *,
    series: PDSeries,
    audience_schools=None,
    facilitators=None,
    practices=None,
    goals: list[str] | None = None,
    **fields,
) -> PDSeries:
    """Change a series; a many-valued argument left out (None) keeps what the series has."""
    _set_fields(series, fields, SERIES_FIELDS)
    audience_schools = list(audience_schools) if audience_schools is not None else None
    practices = list(practices) if practices is not None else None
    _check_series_links(series, audience_schools=audience_schools or (), practices=practices or ())
    series.full_clean(exclude=UNCHECKED)
    with transaction.atomic():
        series.save()
        _set_series_people(series, audience_schools=audience_schools, facilitators=facilitators, practices=practices)
        if goals is not None:
            set_series_goals(series=series, lines=list(goals))
    return series


def series_delete(*, series: PDSeries) -> None:
    """Everything in the series goes with it: sessions, agendas, attendance, evidence."""
    series.delete()


def session_create(*, series: PDSeries, goals: list[str] = (), **fields) -> PDSession:
    """A new session of the series with its short-term goals (lines, in order)."""
    session = PDSession(series=series)
    _set_fields(session, fields, SESSION_FIELDS)
    session.full_clean(exclude=UNCHECKED)
    with transaction.atomic():
        session.save()
        set_session_goals(session=session, lines=list(goals))
    return session


def session_update(*, session: PDSession, goals: list[str] | None = None, **fields) -> PDSession:
    _set_fields(session, fields, SESSION_FIELDS)
    session.full_clean(exclude=UNCHECKED)
    with transaction.atomic():
        session.save()
        if goals is not None:
            set_session_goals(session=session, lines=list(goals))
    return session


def session_delete(*, session: PDSession) -> None:
    session.delete()


@transaction.atomic
def set_series_goals(*, series: PDSeries, lines: list[str]) -> None:
    _sync_goals(SeriesGoal, series.goals.all(), lines, series=series)


@transaction.atomic
def set_session_goals(*, session: PDSession, lines: list[str]) -> None:
    """Keep goals by position, so activities that build on goal 2 still do after an edit of its words."""
    _sync_goals(SessionGoal, session.goals.all(), lines, session=session)


def _sync_goals(model, existing, lines: list[str], **owner) -> None:
    current = list(existing.order_by("order", "pk"))
    for order, text in enumerate(lines, start=1):
        if order <= len(current):
            goal = current[order - 1]
            if (goal.text, goal.order) != (text, order):
                goal.text, goal.order = text, order
                goal.save(update_fields=["text", "order"])
        else:
            model.objects.create(order=order, text=text, **owner)
    for goal in current[len(lines) :]:
        goal.delete()


# --- the agenda -----------------------------------------------------------------------------


def _check_activity_links(activity: Activity, session: PDSession) -> None:
    """An activity builds on an activity or goal of its own series, never on itself."""
    errors = {}
    earlier = activity.builds_on_activity
    if earlier is not None and (earlier.pk == activity.pk or earlier.session.series_id != session.series_id):
        errors["builds_on_activity"] = gettext("Choose an earlier activity of this series.")
    goal = activity.builds_on_goal
    if goal is not None and goal.session.series_id != session.series_id:
        errors["builds_on_goal"] = gettext("Choose a goal of this series.")
    if errors:
        raise ValidationError(errors)


def activity_add(*, session: PDSession, **fields) -> Activity:
    """Add an activity at the end of the session's agenda."""
    activity = Activity(session=session)
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _check_activity_links(activity, session)
    with transaction.atomic():
        last = session.activities.order_by("-order").values_list("order", flat=True).first() or 0
        activity.order = last + 1
        activity.full_clean()
        activity.save()
    return activity


def activity_update(*, activity: Activity, **fields) -> Activity:
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _check_activity_links(activity, activity.session)
    activity.full_clean()
    activity.save()
    return activity


def activity_delete(*, activity: Activity) -> None:
    activity.delete()


@transaction.atomic
def activity_move(*, activity: Activity, direction: str) -> None:
    """Swap an activity with its neighbour (up or down); the agenda re-times itself."""
    siblings = list(Activity.objects.select_for_update().filter(session_id=activity.session_id).order_by("order", "pk"))
    index = next(i for i, a in enumerate(siblings) if a.pk == activity.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, a in enumerate(siblings, start=1):
        if a.order != order:
            Activity.objects.filter(pk=a.pk).update(order=order)


# --- attendance -----------------------------------------------------------------------------


class CheckInError(Exception):
    """Why a check-in failed, in words for the participant."""


def checkin_open(*, session: PDSession, minutes: int = CHECKIN_MINUTES, now=None) -> PDSession:
    """Show a check-in code for the session; a code is unique among sessions still checking in."""
    now = now or timezone.now()
    if not session.checkin_open(now):
        for _ in range(20):
            code = measure_services.new_join_code()
            if not PDSession.objects.filter(checkin_code=code, checkin_closes_at__gt=now).exists():
                break
        session.checkin_code = code
    session.checkin_closes_at = now + timedelta(minutes=minutes)
    session.save(update_fields=["checkin_code", "checkin_closes_at"])
    return session


def checkin_close(*, session: PDSession, now=None) -> PDSession:
    if session.checkin_open(now):
        session.checkin_closes_at = now or timezone.now()
        session.save(update_fields=["checkin_closes_at"])
    return session


def check_in(*, user: User, code: str, now=None) -> PDSession:
    """Sign the user in to the session showing this code; checking in twice counts once."""
    now = now or timezone.now()
    code = measure_services.normalize_code(code)
    if len(code) != measure_services.JOIN_CODE_LENGTH:
        raise CheckInError(gettext("A check-in code has 6 letters and digits."))
    districts = Membership.objects.filter(user=user).values("district_id")
    session = (
        PDSession.objects.filter(checkin_code=code, series__district_id__in=districts)
        .select_related("series")
        .order_by("-checkin_closes_at")
        .first()
    )
    if session is None:
        raise CheckInError(gettext("No session of your district shows that code. Check it and try again."))
    if not session.checkin_open(now):
        raise CheckInError(
            gettext("Check-in for “%(session)s” is closed. Ask a facilitator to mark you present.")
            % {"session": session}
        )
    Attendance.objects.get_or_create(
        session=session, user=user, defaults={"method": AttendanceMethod.CODE, "recorded_at": now}
    )
    return session


@transaction.atomic
def mark_attendance(
    *, session: PDSession, present_ids: set[int], allowed_ids: set[int], drawn_at=None
) -> tuple[int, int]:
    """Make the ticked people (among those the form listed) present and the unticked absent.

    A check-in recorded after the form was drawn (`drawn_at`) is kept: the facilitator could not
    have seen it. Returns (added, removed)."""
    present_ids &= allowed_ids
    already = set(session.attendance.values_list("user_id", flat=True))
    add = present_ids - already
    unticked = session.attendance.filter(user_id__in=(already & allowed_ids) - present_ids)
    if drawn_at is not None:
        unticked = unticked.filter(recorded_at__lte=drawn_at)
    remove = set(unticked.values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        (Attendance(session=session, user_id=uid, method=AttendanceMethod.FACILITATOR) for uid in sorted(add)),
        ignore_conflicts=True,  # someone checking in by code at the same moment is present either way
    )
    session.attendance.filter(user_id__in=remove).delete()
    return len(add), len(remove)


# --- session feedback -----------------------------------------------------------------------


def feedback_open(
    *, session: PDSession, instrument: Instrument, opened_by: User, minutes: int = FEEDBACK_MINUTES, now=None
) -> PDSession:
    """Open the anonymous feedback survey of the session (once: its answers are the session's)."""
    with transaction.atomic():
        # Lock the session: a double click must not open two surveys (the second would orphan the first).
        locked = PDSession.objects.select_for_update(of=("self",)).select_related("series").get(pk=session.pk)
        if locked.feedback_id is not None:
            raise ValidationError(gettext("This session's feedback survey was already opened."))
        _open_feedback(locked, instrument=instrument, opened_by=opened_by, minutes=minutes, now=now)
    session.feedback = locked.feedback
    return session


def _open_feedback(session: PDSession, *, instrument, opened_by, minutes, now) -> PDSession:
    survey = measure_services.group_survey_open(
        district_id=session.series.district_id,
        instrument=instrument,
        opened_by=opened_by,
        minutes=minutes,
        note=str(session),
        now=now,
    )
    session.feedback = survey
    session.save(update_fields=["feedback"])
    return session


def feedback_close(*, session: PDSession, now=None) -> None:
    if session.feedback is not None:
        measure_services.administration_close(administration=session.feedback, now=now)


# --- the facilitation review ----------------------------------------------------------------


def memo_save(*, session: PDSession, text: str, by: User) -> None:
    session.memo = text
    session.memo_by = by
    session.memo_at = timezone.now()
    session.save(update_fields=["memo", "memo_by", "memo_at"])


def evidence_add(
    *,
    session: PDSession,
    recorded_by: User,
    leader: User,
    goal: str,
    direction: str,
    note: str,
    clip_ref: str = "",
    clip_start: int | None = None,
    clip_end: int | None = None,
    recorded_at=None,
) -> FacilitationEvidence:
    """One coded moment of the session's video (a clip that ends before it starts is refused)."""
    evidence = FacilitationEvidence(
        session=session,
        recorded_by=recorded_by,
        leader=leader,
        goal=goal,
        direction=direction,
        note=note,
        clip_ref=clip_ref,
        clip_start=clip_start,
        clip_end=clip_end,
        recorded_at=recorded_at or timezone.now(),
    )
    evidence.full_clean()
    evidence.save()
    return evidence


def evidence_delete(*, evidence: FacilitationEvidence) -> None:
    evidence.delete()


def parse_clock(raw: str) -> int | None:
    """Seconds from "1:02:03", "12:30" or "95" (a video timestamp); None when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None
    parts = raw.split(":")
    if len(parts) > 3 or not all(p.isascii() and p.isdigit() and len(p) <= 6 for p in parts):
        raise ValueError(gettext("Write a time as minutes:seconds or hours:minutes:seconds, e.g. 12:30."))
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    if len(parts) > 1 and any(int(p) >= 60 for p in parts[1:]):
        raise ValueError(gettext("Minutes and seconds go up to 59."))
    return seconds


def small_int(raw: str) -> int | None:
    """An id from a query string, or None: only ASCII digits, and not thousands of them."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def format_clock(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
