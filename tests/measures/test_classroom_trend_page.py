"""The classroom trend page: a one-line summary per item first, items as small multiples on one time
axis, marker labels short and staggered with the full text on hover and in a key."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from measures import aggregation, charts, runcharts
from measures.aggregation import Series, SeriesPoint
from measures.markers import Marker
from tests.cycles.factories import CycleFactory
from tests.measures.helpers import survey_in_week

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2026, 9, 7)


def _series(values, start=START):
    points = tuple(
        SeriesPoint(week=start + datetime.timedelta(weeks=i), n_responses=20, n_answered=20,
                    n_productive=round(20 * v), suppressed=False)
        for i, v in enumerate(values)
    )  # fmt: skip
    return Series(points=points, analysis=runcharts.analyze([p.value for p in points]), min_n=10)


def test_labels_of_close_dates_go_to_different_rows_and_far_ones_share_a_row():
    close = [Marker(D(2026, 9, 2), "PD", "pd"), Marker(D(2026, 9, 4), "▶ cycle", "cycle")]
    assert charts.marker_rows(close, span_days=90, fraction=0.09) == [0, 1]
    far = [Marker(D(2026, 9, 2), "PD", "pd"), Marker(D(2026, 11, 2), "PD", "pd")]
    assert charts.marker_rows(far, span_days=90, fraction=0.09) == [0, 0]
    many = [Marker(D(2026, 9, d), "x", "pd") for d in (1, 2, 3, 4)]
    assert max(charts.marker_rows(many, span_days=90, fraction=0.09)) < charts.MARKER_ROWS


def test_a_marker_is_drawn_short_with_its_full_text_on_hover():
    title = "Cycle 1 pilot teacher PD: Mixing Juice and other ratio tasks"
    marks = [
        Marker(D(2026, 9, 14), "PD", "pd", detail=f"PD session: {title}"),
        Marker(D(2026, 9, 16), "▶ cycle", "cycle", detail="Cycle starts: Talk moves"),
    ]
    spec = charts.run_chart_spec(_series([0.3, 0.4, 0.5, 0.4, 0.6]), markers=marks, compact=True)
    notes = spec["layout"]["annotations"]
    assert [n["text"] for n in notes] == ["PD", "▶ cycle"]
    assert notes[0]["hovertext"] == f"PD session: {title} (Sep 14)"
    assert notes[0]["yshift"] != notes[1]["yshift"]  # two days apart: staggered, not on top of each other
    assert spec["layout"]["margin"]["t"] >= max(n["yshift"] for n in notes) + 15  # room above the plot: no clipping


def test_a_label_near_the_right_edge_hangs_left_of_its_line():
    marks = [Marker(D(2026, 9, 8), "PD", "pd"), Marker(D(2026, 10, 4), "■ end", "cycle")]
    spec = charts.run_chart_spec(
        _series([0.3, 0.4, 0.5, 0.4, 0.6]), markers=marks, x_range=(D(2026, 9, 7), D(2026, 10, 5))
    )
    assert [n["xanchor"] for n in spec["layout"]["annotations"]] == ["left", "right"]


def test_a_compact_chart_is_small_and_keeps_the_shared_axis():
    rng = (D(2026, 8, 31), D(2026, 11, 30))
    spec = charts.run_chart_spec(_series([0.3, 0.4]), x_range=rng, compact=True)
    assert spec["layout"]["height"] < 240 and spec["layout"]["showlegend"] is False
    assert spec["layout"]["xaxis"]["range"] == ["2026-08-28", "2026-12-03"]


def test_the_signal_summary_says_one_crossing_not_one_crossings():
    series = _series([0.2, 0.2, 0.25, 0.2, 0.3, 0.2, 0.25, 0.7, 0.8, 0.75, 0.8, 0.9, 0.85])
    assert series.analysis.crossings == 1
    assert "only 1 crossing of the median" in charts.signal_summary(series)
    assert charts.signal_brief(series) == "signal: 1 crossing of the median"


def test_the_classroom_page_leads_with_a_summary_and_shows_items_as_small_multiples(client, personas, instrument):
    for weeks_ago, good in zip(range(8, 0, -1), [3, 4, 3, 4, 12, 13, 12, 14], strict=True):
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=good, unproductive=16 - good)
    aggregation.rebuild_all()
    today = datetime.date.today()
    CycleFactory(classroom=personas.classroom, title="Sentence starters", start=today - datetime.timedelta(weeks=4))
    client.force_login(personas.teacher)
    response = client.get(reverse("measures:classroom", args=[personas.classroom.pk]))
    html = response.content.decode()
    n_items = instrument.items.exclude(kind="text").count()
    summary = html[html.index("data-trend-summary") : html.index("</table>", html.index("data-trend-summary"))]
    assert summary.count("<tr>") == 1 + 1 + n_items  # header, the index, one line per item
    assert "Signal: a run of" in summary or "Signal: " in summary or "No signal" in summary
    assert html.index("data-trend-summary") < html.index('data-figure="chart-0"')
    grid = html[html.index("data-small-multiples") :]
    assert grid.count("data-figure=") == n_items
    assert "Cycle starts: Sentence starters" in html[html.index("data-marks") :]  # the key of marks
    figures = [c["figure"] for c in response.context["charts"]]
    assert len({json.dumps(f["layout"]["xaxis"]["range"]) for f in figures}) == 1  # one shared time axis
    assert all(f["layout"]["height"] < 240 for f in figures[1:]) and figures[0]["layout"]["height"] > 300


def test_one_chosen_item_is_drawn_full_size(client, personas, instrument):
    for weeks_ago in (3, 2, 1):
        survey_in_week(personas.classroom, instrument, weeks_ago, productive=10, unproductive=5)
    aggregation.rebuild_all()
    client.force_login(personas.teacher)
    url = reverse("measures:classroom", args=[personas.classroom.pk])
    html = client.get(url, {"instrument": instrument.lineage, "item": 1}).content.decode()
    assert "data-small-multiples" not in html and len(re.findall(r'data-figure="chart-', html)) == 1
