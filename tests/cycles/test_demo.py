"""seed_demo's improvement cycles: no step dated after today (Act can be recorded today), baselines
that end before their cycle starts (Assess has baseline weeks), and a measure on every teacher PDSA."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from cycles import selectors, services
from cycles.models import CycleMeasure, CycleScope, CycleStep, Decision, ImprovementCycle, StepKind
from districts.models import User

# A Wednesday: a survey is open this week, so the last survey week is the current one.
TODAY = datetime.date(2026, 11, 25)


@pytest.mark.django_db
def test_the_demo_cycles_are_dated_and_measured_so_each_step_works_today(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--today", TODAY.isoformat(), "--weeks", "10", stdout=StringIO())

    assert ImprovementCycle.objects.count() >= 4
    assert not CycleStep.objects.filter(date__gt=TODAY).exists()
    for link in CycleMeasure.objects.select_related("cycle"):
        if link.baseline_start or link.baseline_end:
            assert link.baseline_window(link.cycle.start)[1] < link.cycle.start, link.cycle

    pdsas = ImprovementCycle.objects.filter(scope=CycleScope.CLASSROOM)
    assert pdsas.count() == 2 and all(CycleMeasure.objects.filter(cycle=c).exists() for c in pdsas)

    director = User.objects.get(email="director@lakeside.example")
    roci = ImprovementCycle.objects.get(scope=CycleScope.DISTRICT)
    comparison = selectors.study_for(roci, user=director).comparison
    assert comparison is not None and comparison.n_baseline > 0

    studied = pdsas.get(steps__kind=StepKind.STUDY, status="active")
    teacher = studied.owner
    assert selectors.study_for(studied, user=teacher).comparison.n_baseline > 0
    services.step_record(
        cycle=studied, kind=StepKind.ACT, recorded_by=teacher, date=TODAY, decision=Decision.ADOPT, notes="Keep it."
    )
