"""Reads for PD series and sessions: who may see a series, the timed agenda and its warnings,
attendance across a series, session feedback (suppressed), the math-leader cycles, and how the
facilitation evidence moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from cycles.practice_panels import PracticePanel
from districts import access
from districts.models import Membership, User
from measures import publication
from measures.models import Response

from .models import (
    TEACHER_KINDS,
    Activity,
    Attendance,
    EvidenceDirection,
    FacilitationEvidence,
    FacilitationGoal,
    PDSeries,
    PDSession,
    PDSessionKind,
)

# --- who may see what -----------------------------------------------------------------------


def series_facts(series: PDSeries, *, with_attendees: bool = True) -> dict:
    """The facts districts.access needs about a series (it imports no cycles model)."""
    facts = {
        "district": series.district_id,
        "facilitator_ids": [u.pk for u in series.facilitators.all()],
        "audience_roles": list(series.audience_roles or []),
        "audience_school_ids": [s.pk for s in series.audience_schools.all()],
    }
    if with_attendees:
        facts["attendee_ids"] = list(
            Attendance.objects.filter(session__series=series).values_list("user_id", flat=True).distinct()
        )
    return facts


def visible_series(user: User) -> list[PDSeries]:
    """The series the user may see, newest school year first, with their session counts."""
    attended = set(Attendance.objects.filter(user=user).values_list("session__series_id", flat=True))
    rows = (
        PDSeries.objects.filter(access.pd_series_visibility(user))
        .select_related("district", "priority")
        .prefetch_related("facilitators", "audience_schools")
        .annotate(n_sessions=Count("sessions", distinct=True))
    )
    out = []
    for series in rows:
        facts = series_facts(series, with_attendees=False)
        facts["attendee_ids"] = [user.pk] if series.pk in attended else []
        if access.may_see_pd_series(user, **facts):
            series.may_change = access.may_change_pd_series(
                user, district=series.district_id, facilitator_ids=facts["facilitator_ids"]
            )
            out.append(series)
    return out


# --- the timed agenda -----------------------------------------------------------------------


@dataclass
class AgendaRow:
    activity: Activity
    number: int
    start: int  # minutes from the session's start
    end: int
    clock: str  # "9:30–10:15" when the session has a start time
    overruns: bool
    missing_goal: bool
    connected: bool  # builds on an earlier activity or a session goal


@dataclass
class Agenda:
    rows: list[AgendaRow]
    planned: int  # minutes of activities
    length: int  # the session's length
    warnings: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    @property
    def over_by(self) -> int:
        return max(0, self.planned - self.length)


def _clock(start: time | None, minutes: int) -> str:
    if start is None:
        return ""
    moment = datetime.combine(datetime(2000, 1, 1).date(), start) + timedelta(minutes=minutes)
    return f"{moment:%-I:%M}"


def agenda(session: PDSession, activities: list[Activity] | None = None) -> Agenda:
    """The activities as a timed agenda, with what a designer should fix (warnings) or weigh (hints).

    Rules: every activity needs its own learning goal; the activities must fit the session's
    length; and (seed 004, goal 1) activities after the first should build on something earlier,
    or the session treats them as discrete.
    """
    if activities is None:
        activities = list(session.activities.select_related("builds_on_activity", "builds_on_goal"))
    rows, offset = [], 0
    for number, activity in enumerate(activities, start=1):
        end = offset + activity.minutes
        rows.append(
            AgendaRow(
                activity=activity,
                number=number,
                start=offset,
                end=end,
                clock=f"{_clock(session.starts_at, offset)}–{_clock(session.starts_at, end)}"
                if session.starts_at
                else "",
                overruns=end > session.minutes,
                missing_goal=not activity.learning_goal.strip(),
                connected=bool(activity.builds_on_activity_id or activity.builds_on_goal_id),
            )
        )
        offset = end
    result = Agenda(rows=rows, planned=offset, length=session.minutes)
    # One warning for every activity without its goal (not a box each): the rows are marked too.
    goalless = [r for r in rows if r.missing_goal]
    if len(goalless) == 1:
        row = goalless[0]
        result.warnings.append(
            gettext("Activity %(number)s, “%(title)s”, has no learning goal.")
            % {"number": row.number, "title": row.activity.title}
        )
    elif goalless:
        numbers = gettext("%(first)s and %(last)s") % {
            "first": ", ".join(str(r.number) for r in goalless[:-1]),
            "last": goalless[-1].number,
        }
        result.warnings.append(
            gettext(
                "%(n)s activities have no learning goal (%(numbers)s): "
                "say what participants should learn from each one."
            )
            % {"n": len(goalless), "numbers": numbers}
        )
    if result.over_by:
        first = next(r for r in rows if r.overruns)
        result.warnings.append(
            ngettext(
                "The activities take %(planned)s minutes but the session is %(length)s: "
                "%(over)s minute over, from activity %(first)s on.",
                "The activities take %(planned)s minutes but the session is %(length)s: "
                "%(over)s minutes over, from activity %(first)s on.",
                result.over_by,
            )
            % {"planned": result.planned, "length": result.length, "over": result.over_by, "first": first.number}
        )
    if rows and not session.goals.exists():
        result.hints.append(gettext("The session has no short-term goals yet: name the next steps it is for."))
    loose = [str(r.number) for r in rows[1:] if not r.connected]
    if loose:
        result.hints.append(
            ngettext(
                "Activity %(numbers)s builds on nothing earlier: say which activity or goal "
                "each one builds on, so the session is a connected sequence rather than discrete parts.",
                "Activities %(numbers)s build on nothing earlier: say which activity or goal "
                "each one builds on, so the session is a connected sequence rather than discrete parts.",
                len(loose),
            )
            % {"numbers": ", ".join(loose)}
        )
    if rows and result.planned < result.length:
        unplanned = result.length - result.planned
        result.hints.append(
            ngettext("%(n)s minute is not yet planned.", "%(n)s minutes are not yet planned.", unplanned)
            % {"n": unplanned}
        )
    return result


# --- sessions around a session --------------------------------------------------------------


def _same_audience(session: PDSession) -> list[str]:
    """Teacher-facing kinds, or the leaders' own kinds: "last time" means the same people."""
    teacher_kinds = [k.value for k in TEACHER_KINDS]
    if session.kind in teacher_kinds:
        return teacher_kinds
    return [k.value for k in PDSessionKind if k.value not in teacher_kinds]


def previous_session_with_feedback(session: PDSession) -> PDSession | None:
    """The latest earlier session of the series, for the same audience, whose participants gave feedback."""
    return (
        PDSession.objects.filter(series_id=session.series_id, feedback__isnull=False, kind__in=_same_audience(session))
        .filter(Q(date__lt=session.date) | Q(date=session.date, pk__lt=session.pk))
        .select_related("feedback__district", "feedback__instrument")
        .order_by("-date", "-pk")
        .first()
    )


@dataclass
class Feedback:
    session: PDSession
    n: int
    min_n: int
    results: publication.AdministrationResults
    texts: tuple[publication.TextAnswers, ...]
    is_open: bool

    @property
    def suppressed(self) -> bool:
        return self.n < self.min_n


def feedback(session: PDSession) -> Feedback | None:
    """The session's anonymous feedback, with nothing shown below the district's minimum group size
    and nothing but the count while the survey is open: a facilitator watching results change as
    each participant sends could tell who wrote what."""
    survey = session.feedback
    if survey is None:
        return None
    if survey.is_open():
        n = Response.objects.filter(administration=survey).count()
        empty = publication.AdministrationResults(n=n, min_n=survey.district.min_group_size, items=())
        return Feedback(session=session, n=n, min_n=empty.min_n, results=empty, texts=(), is_open=True)
    results = publication.survey_results(survey)
    return Feedback(
        session=session,
        n=results.n,
        min_n=results.min_n,
        results=results,
        texts=publication.survey_texts(survey),
        is_open=False,
    )


# --- attendance -------------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    person: User
    present: list[bool]
    total: int


def attendance_matrix(
    series: PDSeries, *, only_user: User | None = None
) -> tuple[list[PDSession], list[AttendanceRow]]:
    """Who came to which session of the series (teacher-facing sessions and the rest alike)."""
    sessions = list(series.sessions.all())
    marks = Attendance.objects.filter(session__series=series).select_related("user")
    if only_user is not None:
        marks = marks.filter(user=only_user)
    seen: dict[int, set[int]] = {}
    people: dict[int, User] = {}
    for mark in marks:
        seen.setdefault(mark.user_id, set()).add(mark.session_id)
        people[mark.user_id] = mark.user
    rows = [
        AttendanceRow(person=p, present=[s.pk in seen[p.pk] for s in sessions], total=len(seen[p.pk]))
        for p in sorted(people.values(), key=lambda u: (u.full_name or u.email).casefold())
    ]
    return sessions, rows


def audience_people(series: PDSeries) -> QuerySet[User]:
    """Everyone the series is for (by role and school), to tick attendance by name."""
    members = Membership.objects.filter(district_id=series.district_id, role__in=series.audience_roles or ["teacher"])
    schools = list(series.audience_schools.values_list("pk", flat=True))
    if schools:
        members = members.filter(Q(school_id__in=schools) | Q(school__isnull=True))
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by("full_name", "email")


# --- the four-phase math-leader cycle (seed 004, Figure 1) -------------------------------------

PHASES = (
    ("co_plan", "Co-plan the math-leader PD", (PDSessionKind.CO_PLANNING,)),
    ("leader_pd", "Math-leader PD", (PDSessionKind.LEADER_PD,)),
    ("pilot", "Pilot teacher PD", TEACHER_KINDS),
)


@dataclass
class PhaseCell:
    label: str
    session: PDSession | None
    status: str  # "done", "planned", "missing"


@dataclass
class LeaderCycle:
    number: int
    phases: list[PhaseCell]
    review: PhaseCell  # the analytic memo on the pilot's video


def leader_cycles(series: PDSeries, today) -> list[LeaderCycle]:
    sessions = list(series.sessions.exclude(cycle__isnull=True))
    cycles = []
    for number in sorted({s.cycle for s in sessions}):
        mine = [s for s in sessions if s.cycle == number]
        cells = []
        for _key, label, kinds in PHASES:
            found = next((s for s in mine if s.kind in kinds), None)
            status = "missing" if found is None else ("done" if found.date <= today else "planned")
            cells.append(PhaseCell(label, found, status))
        pilot = cells[-1].session
        if pilot is None or pilot.date > today:
            memo_status = "missing"  # nothing to review before the pilot is held
        else:
            memo_status = "done" if pilot.memo.strip() else "planned"
        cycles.append(LeaderCycle(number, cells, PhaseCell("Review the video: analytic memo", pilot, memo_status)))
    return cycles


# --- facilitation evidence ----------------------------------------------------------------------


def evidence_for(user: User, series: PDSeries) -> QuerySet[FacilitationEvidence]:
    return (
        FacilitationEvidence.objects.filter(access.facilitation_evidence_q(user, series.district_id))
        .filter(session__series=series)
        .select_related("session", "leader", "recorded_by")
    )


@dataclass
class EvidencePoint:
    label: str  # "Cycle 2" or the session's date
    goal: str
    goal_label: str
    improvement: int
    stasis: int

    @property
    def n(self) -> int:
        return self.improvement + self.stasis

    @property
    def share(self) -> float | None:
        return self.improvement / self.n if self.n else None


def evidence_movement(evidence: QuerySet[FacilitationEvidence]) -> tuple[list[str], list[EvidencePoint]]:
    """Improvement vs stasis per goal, per cycle (or per session when sessions have no cycle)."""
    rows = evidence.values("session__cycle", "session__date", "goal", "direction").annotate(n=Count("pk"))
    buckets: dict[tuple, dict[str, dict[str, int]]] = {}
    for row in rows:
        cycle = row["session__cycle"]
        key = (0, cycle, None) if cycle else (1, None, row["session__date"])
        goals = buckets.setdefault(key, {})
        counts = goals.setdefault(row["goal"], {EvidenceDirection.IMPROVEMENT: 0, EvidenceDirection.STASIS: 0})
        counts[row["direction"]] += row["n"]
    labels, points = [], []
    for key in sorted(buckets, key=lambda k: (k[0], k[1] or 0, k[2] or datetime.min.date())):
        label = gettext("Cycle %(n)s") % {"n": key[1]} if key[0] == 0 else date_format(key[2], gettext("M j"))
        labels.append(label)
        for goal in FacilitationGoal:
            counts = buckets[key].get(goal.value)
            if counts:
                points.append(
                    EvidencePoint(
                        label,
                        goal.value,
                        goal.label,
                        counts[EvidenceDirection.IMPROVEMENT],
                        counts[EvidenceDirection.STASIS],
                    )
                )
    return labels, points


# --- feedback across the series -----------------------------------------------------------------


@dataclass
class FeedbackPoint:
    session: PDSession
    prompt: str
    n: int  # respondents who answered the item
    n_agree: int
    suppressed: bool

    @property
    def share(self) -> float | None:
        return None if self.suppressed or not self.n else self.n_agree / self.n


def feedback_trend(series: PDSeries) -> list[FeedbackPoint]:
    """Per session with feedback and per choice item: how many agreed, withheld below the minimum
    (measures.publication decides; two queries)."""
    now = timezone.now()
    sessions = list(
        series.sessions.filter(feedback__isnull=False)
        .filter(Q(feedback__closed_at__isnull=False) | Q(feedback__closes_at__lte=now))  # closed surveys only
        .select_related("feedback__district", "series__district")
    )
    if not sessions:
        return []
    items = publication.group_survey_items(s.feedback for s in sessions)
    return [
        FeedbackPoint(session, item.prompt, item.n, item.n_productive, item.withheld)
        for session in sessions
        for item in items.get(session.feedback_id, [])
    ]


def practice_panel(*, user, practice):
    """The PD series the user may see that work on the practice, for the practice page (one query
    for the practice's series)."""
    linked = set(practice.pd_series.values_list("pk", flat=True))
    series = [s for s in visible_series(user) if s.pk in linked] if linked else []
    return PracticePanel(template="pd/_practice_panel.html", context={"series": series}, order=10) if series else None


# --- check-in timing ----------------------------------------------------------------------------

EARLY_CHECKIN_DAYS = 1  # check-in opened further ahead than this records people at a session not yet held


def checkin_days_early(session: PDSession, today: date) -> int:
    """How many days before the session its check-in is open, when that is more than a day; else 0."""
    days = (session.date - today).days
    return days if days > EARLY_CHECKIN_DAYS else 0
