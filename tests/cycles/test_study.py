"""The Study/Assess step: the baseline median against the cycle's median and the run-chart signal,
computed from the survey summaries (nobody types a number), and shown only to who may see them."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from cycles import selectors, services
from cycles.models import StepKind
from measures import aggregation
from measures.aggregation import SeriesPoint
from tests.measures.helpers import survey_in_week

from .factories import CycleFactory

D = datetime.date


START = D(2026, 1, 5)


def _points(shares, *, start=START, n=20):
    return [
        SeriesPoint(start + datetime.timedelta(weeks=i), n, n, round(share * n), suppressed=False)
        for i, share in enumerate(shares)
    ]


def test_the_comparison_takes_medians_of_the_baseline_and_the_cycle_weeks():
    points = _points([0.3, 0.35, 0.4, 0.3, 0.35, 0.6, 0.65, 0.7, 0.6, 0.65, 0.7, 0.65])
    c = selectors.compare(
        points, baseline=(D(2026, 1, 5), D(2026, 2, 6)), period=(D(2026, 2, 9), D(2026, 3, 27)), min_n=10
    )
    assert (c.n_baseline, c.n_cycle) == (5, 7)
    assert c.baseline_median == pytest.approx(0.35)
    assert c.cycle_median == pytest.approx(0.65)
    assert c.series.analysis.center == pytest.approx(0.35)  # the centre line is the baseline median
    assert c.signal  # seven weeks in a row above the baseline median
    assert c.direction == "up"
    assert "Baseline median 35% (5 weeks) → cycle median 65% (7 weeks): +30 points." == c.sentence


def test_no_signal_when_the_cycle_weeks_wander_around_the_baseline():
    points = _points([0.4, 0.5, 0.45, 0.4, 0.5, 0.45, 0.4, 0.5, 0.42, 0.48])
    c = selectors.compare(
        points, baseline=(D(2026, 1, 5), D(2026, 2, 6)), period=(D(2026, 2, 9), D(2026, 3, 13)), min_n=10
    )
    assert not c.signal
    assert c.direction == "steady"


def test_suppressed_weeks_and_weeks_outside_the_windows_do_not_count():
    points = _points([0.9, 0.3, 0.3, 0.6, 0.6])
    points[3] = SeriesPoint(points[3].week, 4, 4, 4, suppressed=True)
    c = selectors.compare(
        points, baseline=(D(2026, 1, 12), D(2026, 1, 25)), period=(D(2026, 1, 26), D(2026, 2, 6)), min_n=10, target=0.5
    )
    assert (c.n_baseline, c.n_cycle) == (2, 1)
    assert c.baseline_median == pytest.approx(0.3)
    assert c.cycle_median == pytest.approx(0.6)
    assert c.target_met is True


def test_no_data_gives_no_numbers():
    c = selectors.compare(
        [], baseline=(D(2026, 1, 5), D(2026, 1, 9)), period=(D(2026, 1, 12), D(2026, 1, 16)), min_n=10
    )
    assert c.baseline_median is None and c.cycle_median is None and not c.signal
    assert c.sentence.startswith("No survey weeks")


@pytest.fixture
def studied(personas, instrument):
    """Eight weeks of a classroom's surveys: four low, then a cycle of four high."""
    for weeks_ago, good in zip(range(8, 0, -1), [5, 6, 5, 6, 14, 15, 14, 16], strict=True):
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=good, unproductive=20 - good)
    aggregation.rebuild_all()
    today = datetime.date.today()
    monday = today - datetime.timedelta(days=today.weekday())
    cycle = CycleFactory(
        classroom=personas.classroom,
        start=monday - datetime.timedelta(weeks=4),
        end=monday - datetime.timedelta(days=1),
    )
    services.measure_link(
        cycle=cycle, lineage=instrument.lineage, item_order=0, scope="classroom", scope_id=personas.classroom.pk,
        target_percent=60,
    )  # fmt: skip
    return cycle


@pytest.mark.django_db
def test_the_study_step_reads_the_classrooms_survey_summaries(personas, studied):
    study = selectors.study_for(studied, user=personas.teacher)
    c = study.comparison
    assert study.visible
    assert (c.n_baseline, c.n_cycle) == (4, 4)
    assert c.baseline_median == pytest.approx(0.275)
    assert c.cycle_median == pytest.approx(0.725)
    assert c.target_met is True
    assert "Discussion check" in study.label


@pytest.mark.django_db
def test_the_cycle_page_shows_the_run_chart_with_the_cycle_marked(client, personas, studied):
    services.step_record(cycle=studied, kind=StepKind.PLAN, recorded_by=personas.teacher, date=studied.start,
                         prediction="More students will build on others' ideas")  # fmt: skip
    client.force_login(personas.teacher)
    html = client.get(reverse("cycles:cycle", args=[studied.pk])).content.decode()
    assert "Baseline median 28% (4 weeks) → cycle median 72% (4 weeks): +45 points." in html
    assert "More students will build on others&#x27; ideas" in html
    figure = json.loads(re.search(r'<script id="study-figure" type="application/json">(.*?)</script>', html)[1])
    assert [t["name"] for t in figure["data"]] == ["% productive", "baseline median 28%", "cycle median 72%"]
    assert [a["text"] for a in figure["layout"]["annotations"]][:2] == ["cycle starts", "cycle ends"]


@pytest.mark.django_db
def test_a_leader_sees_not_shared_instead_of_a_private_classroom_chart(client, personas, studied):
    client.force_login(personas.leader)
    html = client.get(reverse("cycles:cycle", args=[studied.pk])).content.decode()
    assert "Not shared" in html and "study-figure" not in html
    personas.classroom.share_with_leaders = True
    personas.classroom.save()
    html = client.get(reverse("cycles:cycle", args=[studied.pk])).content.decode()
    assert "study-figure" in html


@pytest.mark.django_db
def test_the_leader_cannot_link_a_private_classroom(client, personas, studied, instrument):
    choices = selectors.scope_choices(personas.leader, personas.district)
    choices = dict(choices + [option for _, group in choices if isinstance(group, list) for option in group])
    assert f"classroom:{personas.classroom.pk}" not in choices
    assert f"district:{personas.district.pk}" in choices
