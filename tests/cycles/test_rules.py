"""The cycle rules: nesting cannot loop, a nested cycle runs inside its parent's dates, steps are
taken in order, and the follow-up cycle after Act."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cycles import services
from cycles.models import CycleKind, CycleScope, CycleStatus, CycleStep, Decision, StepKind

from .factories import CycleFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _cycle(personas, **kw):
    return services.cycle_create(
        district=personas.district,
        owner=kw.pop("owner", personas.leader),
        title=kw.pop("title", "A cycle"),
        aim="Aim",
        scope=kw.pop("scope", CycleScope.DISTRICT),
        start=kw.pop("start", D(2026, 1, 5)),
        end=kw.pop("end", D(2026, 3, 27)),
        **kw,
    )


def test_a_cycle_cannot_be_nested_inside_its_own_nested_cycle(personas):
    top = _cycle(personas, title="Top")
    middle = _cycle(personas, title="Middle", parent=top)
    bottom = _cycle(personas, title="Bottom", parent=middle)
    with pytest.raises(ValidationError, match="inside itself"):
        services.cycle_update(cycle=top, parent=bottom)
    with pytest.raises(ValidationError, match="inside itself"):
        services.cycle_update(cycle=middle, parent=middle)
    top.refresh_from_db()
    assert top.parent is None


def test_a_nested_cycle_runs_inside_its_parents_dates(personas):
    top = _cycle(personas, start=D(2026, 1, 5), end=D(2026, 3, 27))
    with pytest.raises(ValidationError, match="inside its parent's dates"):
        _cycle(personas, parent=top, start=D(2026, 1, 1), end=D(2026, 1, 20))
    with pytest.raises(ValidationError, match="inside its parent's dates"):
        _cycle(personas, parent=top, start=D(2026, 3, 1), end=D(2026, 4, 3))
    inside = _cycle(personas, parent=top, start=D(2026, 1, 5), end=D(2026, 3, 27))
    assert inside.parent == top


def test_a_parent_cannot_shrink_around_its_nested_cycles(personas):
    top = _cycle(personas, start=D(2026, 1, 5), end=D(2026, 3, 27))
    _cycle(personas, parent=top, start=D(2026, 3, 2), end=D(2026, 3, 20), title="Late")
    with pytest.raises(ValidationError, match="must stay inside"):
        services.cycle_update(cycle=top, end=D(2026, 3, 6))


def test_a_cycle_nests_only_in_its_own_district(personas):
    other = services.cycle_create(
        district=personas.outsider_district,
        owner=personas.outsider_leader,
        title="Elsewhere",
        aim="x",
        scope=CycleScope.DISTRICT,
        start=D(2026, 1, 5),
        end=D(2026, 3, 27),
    )
    with pytest.raises(ValidationError, match="own district"):
        _cycle(personas, parent=other)


def test_a_cycle_ends_after_it_starts_and_a_classroom_cycle_names_its_classroom(personas):
    with pytest.raises(ValidationError, match="ends before it starts"):
        _cycle(personas, start=D(2026, 2, 1), end=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="needs its classroom"):
        _cycle(personas, scope=CycleScope.CLASSROOM)


def test_a_classroom_cycle_takes_its_school_and_year_from_the_classroom(personas):
    cycle = _cycle(personas, scope=CycleScope.CLASSROOM, classroom=personas.classroom, owner=personas.teacher)
    assert cycle.school == personas.school
    assert cycle.school_year == personas.district.school_year_of(cycle.start)


def test_steps_are_taken_in_order(personas):
    cycle = CycleFactory(classroom=personas.classroom)
    with pytest.raises(ValidationError, match="Record Plan, Do first"):
        services.step_record(cycle=cycle, kind=StepKind.STUDY, recorded_by=personas.teacher)
    with pytest.raises(ValidationError, match="no such step"):
        services.step_record(cycle=cycle, kind=StepKind.ASSESS, recorded_by=personas.teacher)
    day = cycle.start
    services.step_record(cycle=cycle, kind=StepKind.PLAN, recorded_by=personas.teacher, date=day, prediction="More")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.ACTIVE
    with pytest.raises(ValidationError, match="cannot come before it"):
        services.step_record(
            cycle=cycle, kind=StepKind.DO, recorded_by=personas.teacher, date=day - datetime.timedelta(1)
        )
    services.step_record(cycle=cycle, kind=StepKind.DO, recorded_by=personas.teacher, date=day)
    assert [s.kind for s in CycleStep.objects.filter(cycle=cycle)] == [StepKind.PLAN, StepKind.DO]


def test_recording_a_step_again_corrects_it(personas):
    cycle = CycleFactory(classroom=personas.classroom)
    services.step_record(cycle=cycle, kind=StepKind.PLAN, recorded_by=personas.teacher, prediction="A")
    services.step_record(cycle=cycle, kind=StepKind.PLAN, recorded_by=personas.teacher, prediction="B")
    assert CycleStep.objects.get(cycle=cycle).prediction == "B"


def test_act_needs_a_decision_and_closes_the_cycle(personas):
    cycle = CycleFactory(classroom=personas.classroom)
    for kind in (StepKind.PLAN, StepKind.DO, StepKind.STUDY):
        services.step_record(cycle=cycle, kind=kind, recorded_by=personas.teacher)
    with pytest.raises(ValidationError, match="adopt, adapt or abandon"):
        services.step_record(cycle=cycle, kind=StepKind.ACT, recorded_by=personas.teacher)
    services.step_record(cycle=cycle, kind=StepKind.ACT, recorded_by=personas.teacher, decision=Decision.ABANDON)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.ABANDONED


def test_a_roci_cycle_has_five_steps(personas):
    cycle = _cycle(personas, kind=CycleKind.ROCI)
    assert cycle.steps_in_order == ["goals", "plan", "act", "assess", "reflect"]
    assert cycle.data_step == StepKind.ASSESS


def test_the_follow_up_cycle_keeps_the_nesting_and_measure_and_prefills_the_plan(personas, instrument):
    top = _cycle(personas, start=D(2026, 1, 5), end=D(2026, 3, 27))
    cycle = _cycle(
        personas,
        scope=CycleScope.CLASSROOM,
        classroom=personas.classroom,
        owner=personas.teacher,
        parent=top,
        start=D(2026, 1, 12),
        end=D(2026, 1, 30),
        title="Talk moves",
    )
    services.measure_link(
        cycle=cycle, lineage=instrument.lineage, item_order=0, scope="classroom", scope_id=personas.classroom.pk
    )
    services.step_record(cycle=cycle, kind=StepKind.PLAN, recorded_by=personas.teacher, date=D(2026, 1, 12),
                         change_idea="Turn and talk", prediction="Up")  # fmt: skip
    for kind in (StepKind.DO, StepKind.STUDY):
        services.step_record(cycle=cycle, kind=kind, recorded_by=personas.teacher, date=D(2026, 1, 29))
    services.step_record(cycle=cycle, kind=StepKind.ACT, recorded_by=personas.teacher, date=D(2026, 1, 30),
                         decision=Decision.ADAPT, notes="Add sentence starters")  # fmt: skip
    nxt = services.cycle_follow_up(cycle=cycle, owner=personas.teacher, today=D(2026, 1, 30))
    assert nxt.previous == cycle and nxt.parent == top
    assert (nxt.start, nxt.end) == (D(2026, 1, 31), D(2026, 2, 18))
    assert nxt.title == "Talk moves · cycle 2"
    assert (nxt.measure.baseline_start, nxt.measure.baseline_end) == (D(2026, 1, 12), D(2026, 1, 30))
    prefill = services.plan_prefill(nxt)
    assert prefill["change_idea"] == "Turn and talk"
    assert "Add sentence starters" in prefill["notes"]


def test_the_follow_up_stays_inside_the_parent(personas):
    top = _cycle(personas, start=D(2026, 1, 5), end=D(2026, 2, 6))
    cycle = _cycle(personas, parent=top, start=D(2026, 1, 12), end=D(2026, 1, 30))
    nxt = services.cycle_follow_up(cycle=cycle, owner=personas.leader, today=D(2026, 1, 30))
    assert nxt.end == D(2026, 2, 6) and nxt.parent == top
    late = services.cycle_follow_up(cycle=cycle, owner=personas.leader, today=D(2026, 3, 1))
    assert late.parent is None


def test_deleting_a_cycle_moves_its_nested_cycles_up(personas):
    top = _cycle(personas, title="Top")
    middle = _cycle(personas, title="Middle", parent=top)
    bottom = _cycle(personas, title="Bottom", parent=middle)
    services.cycle_delete(cycle=middle)
    bottom.refresh_from_db()
    assert bottom.parent == top


def test_quarterly_roci_defaults_follow_the_benchmark_calendar(personas):
    d = personas.district
    services.benchmark_window_create(
        district=d, school_year=2025, name="Winter", start=D(2026, 1, 12), end=D(2026, 1, 23)
    )
    services.benchmark_window_create(district=d, school_year=2025, name="Fall", start=D(2025, 9, 8), end=D(2025, 9, 19))
    quarters = services.quarter_defaults(district=d, school_year=2025)
    assert [(q[1], q[2]) for q in quarters] == [(D(2025, 9, 8), D(2026, 1, 11)), (D(2026, 1, 12), D(2026, 7, 31))]
