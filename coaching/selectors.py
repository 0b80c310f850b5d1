"""Scoped reads for coaching: what comes next in a cycle, caseloads, school activity, score series.

Who may see what is decided by districts.access; these functions shape the data for the pages and
for coaching.charts (which never touches the database).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from cycles.practice_panels import PracticePanel
from districts import access
from districts.models import CoachAssignment, Membership, Role, School, User
from measures import publication
from measures.markers import Marker
from measures.models import Administration

from .models import (
    CLASSROOM_KINDS,
    CoachingCycle,
    CoachingEvent,
    CycleStatus,
    DimensionScore,
    EventKind,
    GroupSession,
    Observation,
    Rubric,
)

QUIET_WEEKS = 3  # a coachee with no contact for this long is flagged on the caseload

# --- what comes next in a cycle -------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kinds: tuple[str, ...]  # the kinds that fit next, the usual one first
    title: str
    reason: str


def _phase(kind: str) -> str | None:
    if kind == EventKind.PRE_CONFERENCE:
        return "plan"
    if kind in CLASSROOM_KINDS:
        return "classroom"
    if kind == EventKind.DEBRIEF:
        return "debrief"
    return None  # "other" does not move the cycle on


def suggest_next(kinds: Sequence[str]) -> Suggestion:
    """The next step of the coaching cycle after events of these kinds (oldest first).

    Pre-conference (co-plan) → classroom collaboration (modeling, co-teaching or observing with
    feedback) → debrief → the next round's pre-conference.
    """
    phases = [p for p in map(_phase, kinds) if p is not None]
    last = phases[-1] if phases else None
    if last == "plan":
        return Suggestion(
            kinds=(EventKind.OBSERVATION, EventKind.CO_TEACHING, EventKind.MODELING),
            title=gettext("Classroom collaboration"),
            reason=gettext(
                "After the pre-conference comes the lesson: model it, co-teach it, or observe and give feedback."
            ),
        )
    if last == "classroom":
        return Suggestion(
            kinds=(EventKind.DEBRIEF,),
            title=gettext("Debrief"),
            reason=gettext(
                "Debrief the lesson: what students did and said, what was tried, and the next steps you agree on."
            ),
        )
    if last == "debrief":
        return Suggestion(
            kinds=(EventKind.PRE_CONFERENCE,),
            title=gettext("Next round: pre-conference"),
            reason=gettext(
                "Start the next round: co-plan the next lesson toward the goal, building on the agreed next steps."
            ),
        )
    return Suggestion(
        kinds=(EventKind.PRE_CONFERENCE,),
        title=gettext("Pre-conference (co-plan)"),
        reason=gettext(
            "Start with a pre-conference: co-plan the lesson, its mathematical goals for students "
            "and the strategies students may use."
        ),
    )


# --- cycles ----------------------------------------------------------------------------------


def cycles_for(user: User) -> QuerySet[CoachingCycle]:
    """Cycles the user may know exist, with their event count and last event date."""
    return (
        CoachingCycle.objects.filter(access.coaching_records_q(user))
        .select_related("teacher", "coach", "school", "classroom")
        .annotate(n_events=Count("events"), last_event=Max("events__date"))
    )


def event_kind_counts(cycle_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per cycle, events by kind (what a principal or leader may see)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = CoachingEvent.objects.filter(cycle_id__in=list(cycle_ids)).values("cycle_id", "kind").annotate(n=Count("id"))
    for row in rows:
        counts[row["cycle_id"]][row["kind"]] = row["n"]
    return counts


def kind_labels(counts: dict[str, int]) -> list[tuple[str, int]]:
    labels = dict(EventKind.choices)
    return [(labels[k], counts[k]) for k in EventKind.values if counts.get(k)]


def latest_next_steps(cycles: Iterable[CoachingCycle]) -> dict[int, CoachingEvent]:
    """Per cycle, its latest event with agreed next steps."""
    found: dict[int, CoachingEvent] = {}
    events = (
        CoachingEvent.objects.filter(cycle__in=list(cycles))
        .exclude(next_steps="")
        .order_by("cycle_id", "-date", "-created_at")
    )
    for event in events:
        found.setdefault(event.cycle_id, event)
    return found


@dataclass(frozen=True)
class LinkedSurvey:
    administration: Administration
    results: publication.AdministrationResults | None  # None: the viewer may not see them

    @property
    def overall(self) -> float | None:
        """Share of productive answers over every item shown (None when withheld)."""
        if self.results is None or self.results.withheld:
            return None
        shown = [i for i in self.results.items if not i.suppressed and i.n]
        answered = sum(i.n for i in shown)
        return sum(i.n_productive for i in shown) / answered if answered else None


def linked_surveys(user: User, administrations: Iterable[Administration]) -> dict[int, LinkedSurvey]:
    """Surveys linked to a cycle, with their results only where the viewer may see the classroom's
    results (the same rules as the measures pages, plus the teacher's choice about their coach)."""
    out: dict[int, LinkedSurvey] = {}
    for survey in administrations:
        visible = access.may_see_classroom_results(user, survey.classroom)
        out[survey.pk] = LinkedSurvey(survey, publication.survey_results(survey) if visible else None)
    return out


# --- observations ------------------------------------------------------------------------------


def rubrics_for(district) -> QuerySet[Rubric]:
    """The starter rubrics and the district's own (a district or its id), like cycles' practices_for."""
    return Rubric.objects.filter(Q(district=None) | Q(district=district))


def group_sessions_for(user: User) -> QuerySet[GroupSession]:
    """Group sessions on the user's list: those they led and those they attended, in their districts."""
    return GroupSession.objects.filter(Q(coach=user) | Q(attendees=user), access.in_districts_q(user)).distinct()


def observations_for(user: User) -> QuerySet[Observation]:
    """Observations whose scores the user may see: the observer's own and those of the user's lessons."""
    return Observation.objects.filter(Q(observer=user) | Q(teacher=user), access.in_districts_q(user))


@dataclass(frozen=True)
class ScoreSeries:
    rubric: str
    scale_max: int
    dimensions: tuple[tuple[int, str], ...]  # (order, name), from the latest version
    points: tuple[tuple[date, int, int], ...]  # (observed on, dimension order, score)


def teacher_scores(*, teacher: User, viewer: User) -> ScoreSeries | None:
    """A teacher's observation scores over time on the rubric most recently used, across its versions.

    Dimensions are matched by their order, so a reworded version continues the same line.
    """
    observations = observations_for(viewer).filter(teacher=teacher).select_related("rubric")
    latest = observations.order_by("-observed_on", "-pk").first()
    if latest is None:
        return None
    lineage = latest.rubric.lineage
    rows = (
        DimensionScore.objects.filter(observation__in=observations, observation__rubric__lineage=lineage)
        .values_list("observation__observed_on", "dimension__order", "score")
        .order_by("observation__observed_on", "dimension__order")
    )
    dims = latest.rubric.dimensions.prefetch_related("levels")
    scale_max = max((lv.score for d in dims for lv in d.levels.all()), default=4)
    return ScoreSeries(
        rubric=latest.rubric.name,
        scale_max=scale_max,
        dimensions=tuple((d.order, d.name) for d in dims),
        points=tuple(rows),
    )


# --- caseload --------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    teacher: User
    school: School | None
    active_cycles: int = 0
    cycles: int = 0
    last_contact: date | None = None
    days_since: int | None = None
    quiet: bool = True
    current_cycle: CoachingCycle | None = None


def _last_contacts(coach: User, teacher_ids: set[int], today: date) -> dict[int, date]:
    """Latest date the coach worked with each teacher: a cycle event, an observation, a group session."""
    last: dict[int, date] = {}

    def keep(rows):
        for teacher_id, day in rows:
            if day is not None and (teacher_id not in last or day > last[teacher_id]):
                last[teacher_id] = day

    keep(
        CoachingEvent.objects.filter(cycle__coach=coach, cycle__teacher_id__in=teacher_ids, date__lte=today)
        .values("cycle__teacher_id")
        .annotate(d=Max("date"))
        .values_list("cycle__teacher_id", "d")
    )
    keep(
        Observation.objects.filter(observer=coach, teacher_id__in=teacher_ids, observed_on__lte=today)
        .values("teacher_id")
        .annotate(d=Max("observed_on"))
        .values_list("teacher_id", "d")
    )
    keep(
        GroupSession.attendees.through.objects.filter(
            groupsession__coach=coach, user_id__in=teacher_ids, groupsession__date__lte=today
        )
        .values("user_id")
        .annotate(d=Max("groupsession__date"))
        .values_list("user_id", "d")
    )
    return last


def caseload(*, coach: User, today: date | None = None, quiet_weeks: int = QUIET_WEEKS) -> list[CaseloadRow]:
    """The coach's teachers this school year: cycles, last contact, and who has gone quiet."""
    today = today or timezone.localdate()
    teacher_ids = access.coachee_ids(coach)
    teachers = User.objects.filter(pk__in=teacher_ids).order_by("full_name")
    schools = {
        m.user_id: m.school
        for m in Membership.objects.filter(
            access.in_districts_q(coach), user_id__in=teacher_ids, role=Role.TEACHER
        ).select_related("school")
    }
    rows = {t.pk: CaseloadRow(teacher=t, school=schools.get(t.pk)) for t in teachers}
    cycles = CoachingCycle.objects.filter(coach=coach, teacher_id__in=teacher_ids).order_by("-started_on", "-pk")
    for cycle in cycles:
        row = rows[cycle.teacher_id]
        row.cycles += 1
        if cycle.status == CycleStatus.ACTIVE:
            row.active_cycles += 1
            row.current_cycle = row.current_cycle or cycle
    for teacher_id, day in _last_contacts(coach, set(teacher_ids), today).items():
        row = rows[teacher_id]
        row.last_contact = day
        row.days_since = (today - day).days
    limit = timedelta(weeks=quiet_weeks)
    for row in rows.values():
        row.quiet = row.last_contact is None or today - row.last_contact > limit
    return list(rows.values())


@dataclass(frozen=True)
class MonthlyCounts:
    months: tuple[date, ...]
    by_kind: dict[str, tuple[int, ...]] = field(default_factory=dict)  # kind label → count per month

    @property
    def total(self) -> int:
        return sum(sum(v) for v in self.by_kind.values())


def events_by_month(events: QuerySet[CoachingEvent], *, until: date | None = None) -> MonthlyCounts:
    """Coaching events by kind per calendar month, every month from the first to the last shown."""
    if until is not None:
        events = events.filter(date__lte=until)
    rows = list(
        events.annotate(month=TruncMonth("date")).values("month", "kind").annotate(n=Count("id")).order_by("month")
    )
    if not rows:
        return MonthlyCounts(months=())
    first, last = rows[0]["month"], rows[-1]["month"]
    months = []
    month = date(first.year, first.month, 1)
    while month <= date(last.year, last.month, 1):
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    index = {m: i for i, m in enumerate(months)}
    labels = {kind: str(label) for kind, label in EventKind.choices}  # in the language of the page
    counts: dict[str, list[int]] = {}
    for kind in EventKind.values:
        counts[labels[kind]] = [0] * len(months)
    for row in rows:
        m = row["month"]
        counts[labels[row["kind"]]][index[date(m.year, m.month, 1)]] += row["n"]
    return MonthlyCounts(months=tuple(months), by_kind={k: tuple(v) for k, v in counts.items() if any(v)})


# --- a school's coaching activity (aggregate: no notes) ----------------------------------------


@dataclass(frozen=True)
class SchoolActivity:
    school: School
    school_year: int
    cycles: list[CoachingCycle]  # annotated with n_events; templates show no notes from these
    cycle_kinds: dict[int, list[tuple[str, int]]]
    events_by_kind: list[tuple[str, int]]
    sessions_by_kind: list[tuple[str, int]]
    n_observations: int
    n_teachers: int
    monthly: MonthlyCounts


def school_activity(*, school: School, school_year: int | None = None) -> SchoolActivity:
    year = school_year or school.district.current_school_year()
    cycles = list(
        CoachingCycle.objects.filter(school=school, school_year=year)
        .select_related("teacher", "coach")
        .annotate(n_events=Count("events"), last_event=Max("events__date"))
        .order_by("teacher__full_name", "-started_on")
    )
    per_cycle = event_kind_counts(c.pk for c in cycles)
    events = CoachingEvent.objects.filter(cycle__school=school, cycle__school_year=year)
    totals = Counter(dict(events.values("kind").annotate(n=Count("id")).values_list("kind", "n")))
    year_start = date(year, school.district.school_year_start_month, 1)
    sessions = GroupSession.objects.filter(school=school, date__gte=year_start)
    session_labels = dict(GroupSession._meta.get_field("kind").choices)
    session_counts = Counter(dict(sessions.values("kind").annotate(n=Count("id")).values_list("kind", "n")))
    return SchoolActivity(
        school=school,
        school_year=year,
        cycles=cycles,
        cycle_kinds={pk: kind_labels(c) for pk, c in per_cycle.items()},
        events_by_kind=kind_labels(totals),
        sessions_by_kind=[(session_labels[k], n) for k, n in sorted(session_counts.items())],
        n_observations=Observation.objects.filter(school=school, observed_on__gte=year_start).count(),
        n_teachers=len({c.teacher_id for c in cycles}),
        monthly=events_by_month(events),
    )


# --- markers on a classroom's run chart ------------------------------------------------------


def _short_labels() -> dict[str, str]:
    """A few letters per kind on the run chart, in the language of the page."""
    return {
        EventKind.PRE_CONFERENCE: pgettext("run chart marker", "Co-plan"),
        EventKind.MODELING: pgettext("run chart marker", "Modeling"),
        EventKind.CO_TEACHING: pgettext("run chart marker", "Co-teaching"),
        EventKind.OBSERVATION: pgettext("run chart marker", "Observation"),
        EventKind.DEBRIEF: pgettext("run chart marker", "Debrief"),
        EventKind.OTHER: pgettext("run chart marker", "Coaching"),
    }


def classroom_markers(*, classroom, since: date | None = None, until: date | None = None) -> list[Marker]:
    """Coaching events in cycles that work in this classroom (or with its teacher, no class named).

    Only the kind and date: the run chart may be seen by people who may not read coaching notes.
    """
    events = CoachingEvent.objects.filter(
        Q(cycle__classroom=classroom)
        | Q(cycle__classroom__isnull=True, cycle__teacher_id=classroom.teacher_id, cycle__school_id=classroom.school_id)
    )
    if since:
        events = events.filter(date__gte=since)
    if until:
        events = events.filter(date__lte=until)
    rows = events.values_list("date", "kind")
    short, long = _short_labels(), dict(EventKind.choices)
    return [
        Marker(
            day=day,
            label=short.get(kind, short[EventKind.OTHER]),
            kind="coaching",
            detail=gettext("Coaching: %(kind)s") % {"kind": long.get(kind, kind)},
        )
        for day, kind in rows
    ]


def coachees(user: User) -> QuerySet[User]:
    return User.objects.filter(pk__in=access.coachee_ids(user)).order_by("full_name")


def assignment_district(*, coach: User, teacher: User):
    """The district where the coach is assigned to the teacher this school year (None if not)."""
    for assignment in CoachAssignment.objects.filter(coach=coach, teacher=teacher).select_related("district"):
        if assignment.school_year == assignment.district.current_school_year():
            return assignment.district
    return None


def practice_panel(*, user, practice) -> PracticePanel | None:
    """How many coaching cycles of this school year work on the practice, for the practice page.
    Coaching records are private to coach and teacher: the page shows only the count."""
    n = practice.coaching_cycles.filter(
        access.in_districts_q(user),
        school_year__in=[d.current_school_year() for d in access.districts(user)],
    ).count()
    return PracticePanel(template="coaching/_practice_panel.html", context={"n_coaching": n}, order=20) if n else None
