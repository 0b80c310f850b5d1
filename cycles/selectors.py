"""Scoped reads for the cycles app: what a user may see, the cycle tree, and the numbers a cycle's
Study/Assess step and a logic model's outcomes show.

Every number comes from `measures.publication` (what this viewer may see of them); whether the
user may see it comes from `districts.access`. `compare` is pure, so the Study rule is testable
without a database.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.db.models import Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from districts import access
from districts.formtools import classroom_label, grouped_by_school
from districts.models import Classroom, District, School, User
from measures import publication, runcharts
from measures.aggregation import lineages_with_data
from measures.instruments import current_instrument_for, instrument_labels, student_instruments_for
from measures.models import Instrument, ItemKind
from measures.publication import Series, SeriesPoint

from .models import (
    CycleMeasure,
    CycleStatus,
    ImprovementCycle,
    MeasureLink,
    MeasureScope,
    OutcomeMeasure,
    Priority,
)

DEFAULT_BASELINE_WEEKS = 8
TREND_STEP = 0.02  # a change in the share smaller than two points reads as "steady"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- cycles ---------------------------------------------------------------------------------


def visible_cycles(user: User) -> QuerySet[ImprovementCycle]:
    return (
        ImprovementCycle.objects.filter(access.cycle_visibility(user), access.in_districts_q(user))
        .distinct()
        .select_related("owner", "school", "classroom__teacher", "parent")
    )


def my_cycles(user: User) -> QuerySet[ImprovementCycle]:
    return (
        ImprovementCycle.objects.filter(
            Q(owner=user) | Q(team=user), status__in=[CycleStatus.PLANNED, CycleStatus.ACTIVE]
        )
        .distinct()
        .select_related("classroom", "school")
        .order_by("end", "title")
    )


def cycle_facts(cycle: ImprovementCycle) -> dict:
    """The keyword arguments districts.access needs to judge a cycle."""
    return {
        "district": cycle.district_id,
        "scope": cycle.scope,
        "owner_id": cycle.owner_id,
        "team_ids": [u.pk for u in cycle.team.all()],
        "school_id": cycle.school_id,
        "classroom": cycle.classroom,
    }


def cycle_initial(*, scopes, priority: Priority | None = None, outcome: OutcomeMeasure | None = None) -> dict:
    """What a cycle started from a priority, or from one of its logic-model outcomes, is prefilled
    with: the priority, the outcome as aim, and the scope of the outcome's measure (or the
    priority's school) where the user may start a cycle there."""
    initial: dict = {}
    if outcome is not None:
        priority = outcome.element.logic_model.priority
        target = (
            gettext(" (target: %(target)s%% productive answers)") % {"target": outcome.target_percent}
            if outcome.target_percent
            else ""
        )
        initial["aim"] = f"{outcome.element.text}{target}"
        if outcome.scope == MeasureScope.DISTRICT and "district" in scopes:
            initial["scope"] = "district"
        elif outcome.scope == MeasureScope.SCHOOL and "school" in scopes:
            initial.update(scope="school", school=outcome.scope_id)
        elif outcome.scope == MeasureScope.CLASSROOM and "classroom" in scopes:
            initial.update(scope="classroom", classroom=outcome.scope_id)
    if priority is not None:
        initial["priority"] = priority.pk
        if "scope" not in initial and priority.school_id and "school" in scopes:
            initial.update(scope="school", school=priority.school_id)
    return initial


@dataclass
class Node:
    cycle: ImprovementCycle
    depth: int


def cycle_tree(cycles: Iterable[ImprovementCycle]) -> list[Node]:
    """Depth-first order, children under their parent; a cycle whose parent is not in the list is a root."""
    cycles = list(cycles)
    ids = {c.pk for c in cycles}
    children: dict[int | None, list[ImprovementCycle]] = {}
    for c in cycles:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    for group in children.values():
        group.sort(key=lambda c: (c.start, c.title))
    out: list[Node] = []
    seen: set[int] = set()

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):
            if c.pk in seen:  # a loop in bad data must not hang the page
                continue
            seen.add(c.pk)
            out.append(Node(c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


# --- measure links --------------------------------------------------------------------------


def measure_choices(district: District, *, first=()) -> list[tuple[str, str]]:
    """One select for instrument + item: "<lineage>:<order>", 0 being the overall index. Instruments
    whose lineage is in `first` (those with data, the most used first) lead the menu."""
    choices = []
    rank = {lineage: n for n, lineage in enumerate(first)}
    instruments = sorted(student_instruments_for(district), key=lambda i: rank.get(i.lineage, len(rank)))
    names = instrument_labels(instruments)
    items = {}
    for instrument in instruments:
        items[instrument.pk] = [
            (i.order, i.prompt_en) for i in instrument.items.exclude(kind=ItemKind.TEXT).order_by("order")
        ]
    for instrument in instruments:
        name = names[instrument.pk]
        choices.append((f"{instrument.lineage}:0", f"{name} — {gettext('overall index')}"))
        for order, prompt in items[instrument.pk]:
            short = prompt if len(prompt) < 70 else prompt[:67] + "…"
            choices.append((f"{instrument.lineage}:{order}", f"{name} — {order}. {short}"))
    return choices


def scope_choices(user: User, district: District) -> list:
    """Where a measure may be read from: the user's district, schools they may see, and the classrooms
    whose results they may see, grouped by school with their teacher."""
    choices: list = []
    if access.may_see_district_aggregates(user, district):
        choices.append((f"district:{district.pk}", gettext("District: %(name)s") % {"name": district}))
    for school in access.schools_with_aggregates(user).filter(district=district).order_by("name"):
        choices.append((f"school:{school.pk}", gettext("School: %(name)s") % {"name": school}))
    rooms = access.classrooms_with_results(user).filter(school__district=district).select_related("school", "teacher")
    rooms = rooms.order_by("school__name", "teacher__full_name", "period", "name")
    for school, options in grouped_by_school(rooms, value=lambda room: f"classroom:{room.pk}"):
        choices.append((gettext("Classrooms · %(school)s") % {"school": school}, options))
    return choices


def measure_defaults(places, *, district: District, classroom_id=None, school_id=None) -> tuple[dict, list]:
    """The initial "whose results" and "instrument and item" of a measure-link form, and the lineages
    with data there (for measure_choices' order): the cycle's own classroom or school, else the
    district; there the classroom's current instrument, else the instrument with the most weeks."""
    offered = [value for value, label in places if not isinstance(label, list | tuple)]
    offered += [value for _, group in places if isinstance(group, list | tuple) for value, _ in group]
    wanted = [f"classroom:{classroom_id}" if classroom_id else "", f"school:{school_id}" if school_id else ""]
    where = next((w for w in [*wanted, f"district:{district.pk}"] if w in offered), offered[0] if offered else None)
    if where is None:
        return {}, []
    scope, scope_id = where.split(":")
    lineages = [i.lineage for i in lineages_with_data(scope=scope, scope_ids=[int(scope_id)])]
    if scope == MeasureScope.CLASSROOM:
        current = current_instrument_for(int(scope_id))
        if current is not None:
            lineages = [current.lineage] + [x for x in lineages if x != current.lineage]
    initial = {"where": where}
    if lineages:
        initial["measure"] = f"{lineages[0]}:0"
    return initial, lineages


def measure_label(link: MeasureLink) -> str:
    instrument = Instrument.objects.filter(lineage=link.lineage).order_by("-is_current", "-version").first()
    if instrument is None:
        return gettext("A deleted instrument")
    what = gettext("overall index")
    if link.item_order:
        item = instrument.items.filter(order=link.item_order).first()
        what = gettext("item %(n)s") % {"n": link.item_order} + (f": {item.prompt_en}" if item else "")
    return f"{instrument.name} ({what}) · {scope_label(link.scope, link.scope_id)}"


def measure_short_label(link: MeasureLink) -> str:
    """'Whole-class discussion, index' or '…, item 3': what a linked outcome is measured by."""
    instrument = Instrument.objects.filter(lineage=link.lineage).order_by("-is_current", "-version").first()
    name = instrument.name if instrument is not None else gettext("a deleted instrument")
    what = gettext("index") if not link.item_order else gettext("item %(n)s") % {"n": link.item_order}
    return f"{name}, {what}"


def arrow_defaults(elements: Sequence) -> dict:
    """The arrow form's first guess: from the first box to the first box of a later column (else the
    next box), so the form never starts with the same box at both ends."""
    if len(elements) < 2:
        return {}
    source = elements[0]
    target = next((e for e in elements[1:] if e.kind != source.kind), elements[1])
    return {"source": source.pk, "target": target.pk}


def scope_label(scope: str, scope_id: int) -> str:
    if scope == MeasureScope.CLASSROOM:
        room = Classroom.objects.select_related("teacher", "school").filter(pk=scope_id).first()
        return gettext("Classroom: %(name)s") % {"name": f"{classroom_label(room)}, {room.school}"} if room else "—"
    model = {MeasureScope.SCHOOL: School, MeasureScope.DISTRICT: District}[scope]
    obj = model.objects.filter(pk=scope_id).first()
    return f"{MeasureScope(scope).label}: {obj}" if obj else "—"


def may_read(user: User, link: MeasureLink) -> tuple[bool, str]:
    """(allowed, why not). A classroom's own results follow the classroom privacy rules."""
    if link.scope == MeasureScope.CLASSROOM:
        room = Classroom.objects.select_related("school").filter(pk=link.scope_id).first()
        if room is None:
            return False, gettext("The classroom no longer exists.")
        if access.may_see_classroom_results(user, room):
            return True, ""
        return False, gettext(
            "Not shared: this classroom's results are seen by its teacher and coaches, and by leaders only "
            "where the teacher shares them."
        )
    if link.scope == MeasureScope.SCHOOL:
        school = School.objects.filter(pk=link.scope_id).first()
        if school is not None and access.may_see_school_aggregates(user, school):
            return True, ""
        return False, gettext("You do not see this school's results.")
    if access.may_see_district_aggregates(user, link.scope_id):
        return True, ""
    return False, gettext("You do not see district results.")


def _min_n(link: MeasureLink) -> int:
    if link.scope == MeasureScope.DISTRICT:
        district = District.objects.filter(pk=link.scope_id).first()
    elif link.scope == MeasureScope.SCHOOL:
        district = District.objects.filter(schools__pk=link.scope_id).first()
    else:
        district = District.objects.filter(schools__classrooms__pk=link.scope_id).first()
    return district.min_group_size if district else 10


# --- the Study / Assess comparison ----------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """A cycle's weeks against its baseline weeks, on one practical-measure series."""

    series: Series  # baseline start → cycle end; the run-chart centre is the baseline median
    baseline: tuple[date, date]
    period: tuple[date, date]
    baseline_median: float | None
    cycle_median: float | None
    n_baseline: int  # weeks with a shown value
    n_cycle: int
    target: float | None = None

    @property
    def signal(self) -> bool:
        return self.series.analysis.runs_signal

    @property
    def change(self) -> float | None:
        if self.baseline_median is None or self.cycle_median is None:
            return None
        return self.cycle_median - self.baseline_median

    @property
    def target_met(self) -> bool | None:
        if self.target is None or self.cycle_median is None:
            return None
        return self.cycle_median >= self.target

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "up" if change > TREND_STEP else "down" if change < -TREND_STEP else "steady"

    @property
    def sentence(self) -> str:
        if self.n_cycle == 0 and self.n_baseline == 0:
            return gettext("No survey weeks with enough responses yet, in the baseline or the cycle.")
        parts = []
        parts.append(
            ngettext(
                "Baseline median %(median)s (%(n)s week)", "Baseline median %(median)s (%(n)s weeks)", self.n_baseline
            )
            % {"median": f"{self.baseline_median:.0%}", "n": self.n_baseline}
            if self.baseline_median is not None
            else gettext("No baseline weeks")
        )
        parts.append(
            ngettext("cycle median %(median)s (%(n)s week)", "cycle median %(median)s (%(n)s weeks)", self.n_cycle)
            % {"median": f"{self.cycle_median:.0%}", "n": self.n_cycle}
            if self.cycle_median is not None
            else gettext("no cycle weeks yet")
        )
        text = " → ".join(parts)
        if self.change is not None:
            text += gettext(": %(change)s points") % {"change": f"{100 * self.change:+.0f}"}
        return text + "."


def compare(
    points: Sequence[SeriesPoint],
    *,
    baseline: tuple[date, date],
    period: tuple[date, date],
    min_n: int,
    target: float | None = None,
) -> Comparison:
    """Medians of the baseline and cycle weeks, and the Anhøj rules over the whole series with the
    baseline median as centre line (so a shift during the cycle shows as a long run or few crossings)."""
    first_baseline_week = monday(baseline[0])
    first_cycle_week = monday(period[0])
    points = [p for p in points if first_baseline_week <= p.week <= period[1]]
    base_values = [
        p.value for p in points if p.value is not None and p.week <= baseline[1] and p.week < first_cycle_week
    ]
    cycle_values = [p.value for p in points if p.value is not None and first_cycle_week <= p.week <= period[1]]
    base_median = statistics.median(base_values) if base_values else None
    analysis = runcharts.analyze([p.value for p in points], center=base_median) if base_values else None
    if analysis is None:
        analysis = runcharts.analyze([p.value for p in points])
    return Comparison(
        series=Series(points=tuple(points), analysis=analysis, min_n=min_n),
        baseline=baseline,
        period=period,
        baseline_median=base_median,
        cycle_median=statistics.median(cycle_values) if cycle_values else None,
        n_baseline=len(base_values),
        n_cycle=len(cycle_values),
        target=target,
    )


@dataclass
class Study:
    link: CycleMeasure | None
    label: str = ""
    visible: bool = False
    note: str = ""
    comparison: Comparison | None = None
    extra: dict = field(default_factory=dict)


def study_for(cycle: ImprovementCycle, *, user: User) -> Study:
    link = CycleMeasure.objects.filter(cycle=cycle).first()
    if link is None:
        return Study(link=None, note=gettext("No practical measure is linked to this cycle yet."))
    study = Study(link=link, label=measure_label(link))
    study.visible, study.note = may_read(user, link)
    if not study.visible:
        return study
    baseline = link.baseline_window(cycle.start)
    if link.baseline_start is None and link.baseline_end is None:
        baseline = (cycle.start - timedelta(weeks=DEFAULT_BASELINE_WEEKS), cycle.start - timedelta(days=1))
    min_n = _min_n(link)
    series = publication.trend(
        user,
        scope=link.scope,
        scope_id=link.scope_id,
        lineage=link.lineage,
        item_order=link.item_order,
        since=monday(baseline[0]),
        until=cycle.end,
    )
    target = link.target_percent / 100 if link.target_percent is not None else None
    study.comparison = compare(series.points, baseline=baseline, period=(cycle.start, cycle.end), min_n=min_n,
                               target=target)  # fmt: skip
    return study


# --- logic-model outcomes -------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeStatus:
    label: str
    visible: bool
    latest: float | None = None
    direction: str = ""  # "up", "down", "steady" or "" (too little data)
    target: float | None = None
    weeks: int = 0


def direction_of(values: Sequence[float]) -> str:
    """Rising, falling or steady: the last three shown weeks against the three before."""
    if len(values) < 4:
        return ""
    recent = values[-3:]
    before = values[-6:-3]
    change = statistics.fmean(recent) - statistics.fmean(before)
    return "up" if change > TREND_STEP else "down" if change < -TREND_STEP else "steady"


def outcome_status(link: OutcomeMeasure, *, user: User) -> OutcomeStatus:
    label = measure_label(link)
    target = link.target_percent / 100 if link.target_percent is not None else None
    allowed, _ = may_read(user, link)
    if not allowed:
        return OutcomeStatus(label=label, visible=False, target=target)
    series = publication.trend(
        user, scope=link.scope, scope_id=link.scope_id, lineage=link.lineage, item_order=link.item_order
    )
    values = [p.value for p in series.points if p.value is not None]
    return OutcomeStatus(
        label=label,
        visible=True,
        latest=values[-1] if values else None,
        direction=direction_of(values),
        target=target,
        weeks=len(values),
    )


def practices_for(districts) -> QuerySet:
    """The published practices and the own practices of `districts` (a district, its id, or several:
    a list or a queryset of ids), in the library's order."""
    from .models import Practice

    if isinstance(districts, District | int):
        districts = [districts]
    return Practice.objects.filter(Q(district=None) | Q(district__in=districts))


# --- data links -------------------------------------------------------------------------------

# This site's pages a priority links to, by URL name: the words a reader sees instead of the address.
_PAGE_NAMES = {
    "measures:index": _("Measures"),
    "measures:district": _("District survey trends"),
    "measures:school": _("School survey trends"),
    "measures:classroom": _("Classroom survey trend"),
    "recommendations:dashboard": _("Recommendation uptake dashboard"),
    "recommendations:index": _("Feedback reports"),
}


def link_labels(links: list[str]) -> list[tuple[str, str]]:
    """(text, address) for each data link: a page of this site by its name (and the school or
    district it is about), another site by its host and the last part of its path."""
    return [(_link_label(url), url) for url in links]


def _link_label(url: str) -> str:
    parts = urlsplit(url)
    if not parts.netloc:
        try:
            match = resolve(parts.path)
        except Resolver404:
            return parts.path
        name = _PAGE_NAMES.get(match.view_name)
        name = str(name) if name is not None else None
        if name is None:
            return parts.path
        if match.view_name == "measures:district":
            district = District.objects.filter(pk=match.kwargs.get("district_id")).first()
            return f"{name}: {district}" if district else name
        if match.view_name == "measures:school":
            school = School.objects.filter(pk=match.kwargs.get("school_id")).first()
            return f"{name}: {school}" if school else name
        return name
    last = [p for p in parts.path.split("/") if p]
    return parts.netloc.removeprefix("www.") + (f" · {last[-1]}" if last else "")
