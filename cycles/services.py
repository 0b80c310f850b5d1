"""Writes for the cycles app: every function is keyword-only, validates with full_clean() and
keeps the rules that span rows (rank and why order, step order, follow-up cycles) in one place.

Access is checked by the views (through districts.access) before they call these.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from districts.models import District, User

from .models import (
    STEPS,
    CycleMeasure,
    CycleScope,
    CycleStatus,
    CycleStep,
    Decision,
    DistrictBenchmarkWindow,
    FiveWhy,
    ImprovementCycle,
    LogicArrow,
    LogicElement,
    LogicModel,
    OutcomeMeasure,
    Practice,
    PracticeSource,
    Priority,
    StepKind,
)

# --- priorities -----------------------------------------------------------------------------

PRIORITY_FIELDS = (
    "title",
    "problem_of_practice",
    "data_reviewed",
    "data_links",
    "context",
    "participants",
    "status",
    "school_year",
    "school",
)


def priority_create(*, district: District, created_by: User, practices=(), **fields) -> Priority:
    with transaction.atomic():
        last = Priority.objects.filter(district=district, school_year=fields.get("school_year")).aggregate(
            n=Max("rank")
        )["n"]
        priority = Priority(district=district, created_by=created_by, rank=(last or 0) + 1, **fields)
        priority.full_clean()
        priority.save()
        priority.practices.set(practices)
    return priority


def priority_update(*, priority: Priority, practices=None, **fields) -> Priority:
    for name, value in fields.items():
        if name not in PRIORITY_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(priority, name, value)
    priority.full_clean()
    with transaction.atomic():
        priority.save()
        if practices is not None:
            priority.practices.set(practices)
    return priority


def priority_move(*, priority: Priority, direction: str) -> None:
    """Swap with the neighbour above ("up") or below ("down") on the district's board for the year,
    renumbering ranks 1..n so gaps and ties left by deletions disappear."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    with transaction.atomic():
        board = list(
            Priority.objects.select_for_update()
            .filter(district_id=priority.district_id, school_year=priority.school_year)
            .order_by("rank", "title", "pk")
        )
        i = next(n for n, p in enumerate(board) if p.pk == priority.pk)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(board):
            board[i], board[j] = board[j], board[i]
        for rank, item in enumerate(board, start=1):
            if item.rank != rank:
                item.rank = rank
                item.save(update_fields=["rank"])


def priority_delete(*, priority: Priority) -> None:
    priority.delete()


# --- five whys ------------------------------------------------------------------------------


def why_add(*, priority: Priority, why: str, because: str) -> FiveWhy:
    with transaction.atomic():
        last = FiveWhy.objects.filter(priority=priority).aggregate(n=Max("order"))["n"] or 0
        step = FiveWhy(priority=priority, order=last + 1, why=why, because=because)
        step.full_clean()
        step.save()
    return step


def why_update(*, step: FiveWhy, why: str, because: str) -> FiveWhy:
    step.why, step.because = why, because
    step.full_clean()
    step.save(update_fields=["why", "because"])
    return step


def _renumber(steps: list[FiveWhy]) -> None:
    # Two passes: orders are unique per priority, so park them out of the way first.
    offset = 1000
    for n, step in enumerate(steps, start=1):
        FiveWhy.objects.filter(pk=step.pk).update(order=offset + n)
    for n, step in enumerate(steps, start=1):
        FiveWhy.objects.filter(pk=step.pk).update(order=n)
        step.order = n


def why_move(*, step: FiveWhy, direction: str) -> None:
    if direction not in ("up", "down"):
        raise ValueError(direction)
    with transaction.atomic():
        steps = list(FiveWhy.objects.select_for_update().filter(priority_id=step.priority_id).order_by("order"))
        i = next(n for n, s in enumerate(steps) if s.pk == step.pk)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(steps):
            steps[i], steps[j] = steps[j], steps[i]
            _renumber(steps)


def why_delete(*, step: FiveWhy) -> None:
    with transaction.atomic():
        priority_id = step.priority_id
        step.delete()
        _renumber(list(FiveWhy.objects.filter(priority_id=priority_id).order_by("order")))


# --- practices ------------------------------------------------------------------------------


def practice_create(*, district: District, **fields) -> Practice:
    practice = Practice(district=district, source=PracticeSource.DISTRICT, **fields)
    practice.full_clean()
    practice.save()
    return practice


# --- logic models ---------------------------------------------------------------------------


def logic_model_for(*, priority: Priority) -> LogicModel:
    model, _ = LogicModel.objects.get_or_create(priority=priority)
    return model


def _touch(logic_model: LogicModel) -> None:
    LogicModel.objects.filter(pk=logic_model.pk).update(updated_at=timezone.now())


def element_add(*, logic_model: LogicModel, kind: str, text: str) -> LogicElement:
    last = LogicElement.objects.filter(logic_model=logic_model, kind=kind).aggregate(n=Max("order"))["n"] or 0
    element = LogicElement(logic_model=logic_model, kind=kind, text=text, order=last + 1)
    element.full_clean()
    element.save()
    _touch(logic_model)
    return element


def element_update(*, element: LogicElement, kind: str, text: str) -> LogicElement:
    element.kind, element.text = kind, text
    element.full_clean()
    with transaction.atomic():
        element.save()
        if not element.is_outcome:
            OutcomeMeasure.objects.filter(element=element).delete()
    _touch(element.logic_model)
    return element


def element_delete(*, element: LogicElement) -> None:
    logic_model = element.logic_model
    element.delete()
    _touch(logic_model)


def arrow_add(*, logic_model: LogicModel, source: LogicElement, target: LogicElement) -> LogicArrow:
    arrow = LogicArrow(logic_model=logic_model, source=source, target=target)
    arrow.full_clean()
    arrow.save()
    _touch(logic_model)
    return arrow


def outcome_link(
    *, element: LogicElement, lineage, item_order: int, scope: str, scope_id: int, target_percent: int | None
) -> OutcomeMeasure:
    link = OutcomeMeasure.objects.filter(element=element).first() or OutcomeMeasure(element=element)
    link.lineage, link.item_order, link.scope, link.scope_id = lineage, item_order, scope, scope_id
    link.target_percent = target_percent
    link.full_clean()
    link.save()
    _touch(element.logic_model)
    return link


# --- improvement cycles ---------------------------------------------------------------------

CYCLE_FIELDS = (
    "kind",
    "title",
    "aim",
    "scope",
    "school",
    "classroom",
    "cadence",
    "parent",
    "priority",
    "practice",
    "start",
    "end",
    "status",
)


def _normalise(cycle: ImprovementCycle) -> None:
    if cycle.classroom_id:
        cycle.school_id = cycle.classroom.school_id
    if cycle.scope in (CycleScope.DISTRICT, CycleScope.NETWORK):
        cycle.school, cycle.classroom = None, None
    elif cycle.scope == CycleScope.SCHOOL:
        cycle.classroom = None
    if cycle.start:
        cycle.school_year = cycle.district.school_year_of(cycle.start)


def cycle_create(
    *, district: District, owner: User, team=(), previous=None, outcome: OutcomeMeasure | None = None, **fields
) -> ImprovementCycle:
    """A new cycle. Started from a logic-model outcome (`outcome`, its measure link), the cycle is
    judged by the same measure, place and target, so its data step shows the series at once."""
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if outcome is not None and outcome.element.logic_model.priority.district_id != district.pk:
        raise ValidationError(gettext("That outcome belongs to another district's plan."))
    cycle = ImprovementCycle(district=district, owner=owner, previous=previous, **fields)
    _normalise(cycle)
    cycle.full_clean()
    with transaction.atomic():
        cycle.save()
        cycle.team.set(team)
        if outcome is not None:
            measure_link(
                cycle=cycle,
                lineage=outcome.lineage,
                item_order=outcome.item_order,
                scope=outcome.scope,
                scope_id=outcome.scope_id,
                target_percent=outcome.target_percent,
            )
    return cycle


def cycle_update(*, cycle: ImprovementCycle, team=None, **fields) -> ImprovementCycle:
    for name, value in fields.items():
        if name not in CYCLE_FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(cycle, name, value)
    _normalise(cycle)
    cycle.full_clean()
    with transaction.atomic():
        cycle.save()
        if team is not None:
            cycle.team.set(team)
    return cycle


def cycle_delete(*, cycle: ImprovementCycle) -> None:
    """Nested cycles stay, moved up to this cycle's parent."""
    with transaction.atomic():
        ImprovementCycle.objects.filter(parent=cycle).update(parent=cycle.parent)
        cycle.delete()


def measure_link(
    *,
    cycle: ImprovementCycle,
    lineage,
    item_order: int,
    scope: str,
    scope_id: int,
    target_percent: int | None = None,
    baseline_start: date | None = None,
    baseline_end: date | None = None,
) -> CycleMeasure:
    link = CycleMeasure.objects.filter(cycle=cycle).first() or CycleMeasure(cycle=cycle)
    link.lineage, link.item_order, link.scope, link.scope_id = lineage, item_order, scope, scope_id
    link.target_percent, link.baseline_start, link.baseline_end = target_percent, baseline_start, baseline_end
    link.full_clean()
    if baseline_start or baseline_end:
        # The Study step compares the baseline weeks with the cycle's: a baseline that reaches into the
        # cycle would lose those weeks without a word, so it is refused here instead.
        first, last = link.baseline_window(cycle.start)
        if last >= cycle.start or first >= cycle.start:
            raise ValidationError(
                {
                    "baseline_end" if baseline_end else "baseline_start": gettext(
                        "The baseline must end before the cycle starts (%(date)s): "
                        "it is the weeks the cycle is compared with."
                    )
                    % {"date": date_format(cycle.start, gettext("M j, Y"))}
                }
            )
    link.save()
    return link


STEP_FIELDS = ("date", "notes", "change_idea", "prediction", "logistics", "data_plan", "surprises", "decision")


def step_record(*, cycle: ImprovementCycle, kind: str, recorded_by: User, **fields) -> CycleStep:
    """Record (or correct) a step. Steps are taken in order: a step needs every earlier step
    recorded, and its date is not before the previous step's. Recording moves the cycle along:
    the first step makes it active; Act (PDSA) or Reflect (ROCI) closes it."""
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    order = STEPS[cycle.kind]
    if kind not in order:
        raise ValidationError({"kind": gettext("This cycle has no such step.")})
    with transaction.atomic():
        recorded = {s.kind: s for s in CycleStep.objects.select_for_update().filter(cycle=cycle)}
        position = order.index(kind)
        missing = [str(StepKind(k).label) for k in order[:position] if k not in recorded]
        if missing:
            raise ValidationError(
                gettext("Record %(steps)s first: steps are taken in order.") % {"steps": ", ".join(missing)}
            )
        step = recorded.get(kind) or CycleStep(cycle=cycle, kind=kind)
        for name, value in fields.items():
            setattr(step, name, value)
        step.recorded_by = recorded_by
        step.recorded_at = timezone.now()
        if position and step.date < recorded[order[position - 1]].date:
            earlier = recorded[order[position - 1]]
            raise ValidationError(
                {
                    "date": gettext("%(step)s was recorded on %(date)s: a later step cannot come before it.")
                    % {"step": earlier.get_kind_display(), "date": date_format(earlier.date)}
                }
            )
        later = [recorded[k] for k in order[position + 1 :] if k in recorded]
        if later and step.date > min(s.date for s in later):
            raise ValidationError({"date": gettext("A later step was recorded before this date.")})
        step.full_clean()
        step.save()
        _advance(cycle, step)
    return step


def _advance(cycle: ImprovementCycle, step: CycleStep) -> None:
    status = cycle.status
    last = STEPS[cycle.kind][-1]
    if step.kind == last:
        status = CycleStatus.ABANDONED if step.decision == Decision.ABANDON else CycleStatus.DONE
    elif status == CycleStatus.PLANNED:
        status = CycleStatus.ACTIVE
    if status != cycle.status:
        cycle.status = status
        ImprovementCycle.objects.filter(pk=cycle.pk).update(status=status)


def cycle_follow_up(*, cycle: ImprovementCycle, owner: User, today: date | None = None) -> ImprovementCycle:
    """The next cycle after Act → adapt (or adopt): same scope, measure and nesting, dates just after
    this one's with the same length (kept inside the parent's), plan pre-filled from this cycle."""
    today = today or timezone.localdate()
    length = cycle.end - cycle.start
    start = max(cycle.end + timedelta(days=1), today)
    end = start + length
    parent = cycle.parent
    if parent is not None:
        if start > parent.end:
            parent = None
        else:
            end = min(end, parent.end)
    number = 2
    title = cycle.title
    while ImprovementCycle.objects.filter(district=cycle.district, title=title).exists():
        base = cycle.title.rsplit(" · cycle ", 1)[0]
        title = f"{base} · cycle {number}"
        number += 1
    with transaction.atomic():
        follow_up = cycle_create(
            district=cycle.district,
            owner=owner,
            team=list(cycle.team.all()),
            previous=cycle,
            kind=cycle.kind,
            title=title,
            aim=cycle.aim,
            scope=cycle.scope,
            school=cycle.school,
            classroom=cycle.classroom,
            cadence=cycle.cadence,
            parent=parent,
            priority=cycle.priority,
            practice=cycle.practice,
            start=start,
            end=end,
            status=CycleStatus.PLANNED,
        )
        link = CycleMeasure.objects.filter(cycle=cycle).first()
        if link is not None:
            # The old cycle's weeks become the new baseline.
            measure_link(
                cycle=follow_up,
                lineage=link.lineage,
                item_order=link.item_order,
                scope=link.scope,
                scope_id=link.scope_id,
                target_percent=link.target_percent,
                baseline_start=cycle.start,
                baseline_end=min(cycle.end, start - timedelta(days=1)),
            )
    return follow_up


def plan_prefill(cycle: ImprovementCycle) -> dict:
    """Initial values for a follow-up cycle's Plan step, taken from the cycle it follows."""
    if cycle.previous_id is None:
        return {}
    previous = cycle.previous
    plan = CycleStep.objects.filter(cycle=previous, kind=StepKind.PLAN).first()
    act = CycleStep.objects.filter(cycle=previous, kind=STEPS[previous.kind][-1]).first()
    if plan is None:
        return {}
    note = gettext("Follows “%(cycle)s”.") % {"cycle": previous}
    if act is not None and act.notes:
        note += " " + gettext("What we decided to change: %(notes)s") % {"notes": act.notes}
    return {
        "change_idea": plan.change_idea,
        "prediction": plan.prediction,
        "logistics": plan.logistics,
        "data_plan": plan.data_plan,
        "notes": note,
    }


# --- benchmark calendar ---------------------------------------------------------------------


def benchmark_window_create(*, district: District, school_year: int, name: str, start: date, end: date):
    window = DistrictBenchmarkWindow(district=district, school_year=school_year, name=name, start=start, end=end)
    window.full_clean()
    window.save()
    return window


def quarter_defaults(*, district: District, school_year: int) -> list[tuple[str, date, date]]:
    """Quarterly ROCI windows from the district's benchmark calendar: each runs from the start of one
    benchmark window to the day before the next (the last to the end of that school year)."""
    windows = list(DistrictBenchmarkWindow.objects.filter(district=district, school_year=school_year).order_by("start"))
    year_end = date(school_year + 1, district.school_year_start_month, 1) - timedelta(days=1)
    quarters = []
    for n, window in enumerate(windows):
        end = windows[n + 1].start - timedelta(days=1) if n + 1 < len(windows) else year_end
        until = gettext("next benchmark") if n + 1 < len(windows) else gettext("year end")
        label = f"{window.name} → {until}"
        quarters.append((label, window.start, end))
    return quarters
