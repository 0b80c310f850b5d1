"""coaching.charts builds plain plotly figure specs (dicts) from plain data: events by month and
rubric scores over time."""

import datetime
import json

from coaching import charts
from coaching.selectors import MonthlyCounts, ScoreSeries
from measures.charts import GREY, LAYOUT

D = datetime.date


def test_events_by_month_stack_one_bar_trace_per_kind():
    counts = MonthlyCounts(
        months=(D(2026, 9, 1), D(2026, 10, 1)), by_kind={"Modeling": (1, 0), "Something new": (2, 3)}
    )
    fig = charts.events_by_month_chart(counts)
    assert json.loads(json.dumps(fig)) == fig  # plain JSON: no plotly objects, no dates
    modeling, new = fig["data"]
    assert (modeling["type"], modeling["name"], modeling["x"], modeling["y"]) == (
        "bar",
        "Modeling",
        ["2026-09-01", "2026-10-01"],
        [1, 0],
    )
    assert modeling["marker"] == {"color": charts.KIND_COLOURS["Modeling"]}
    assert new["marker"] == {"color": GREY}  # a kind without its own colour
    assert modeling["hovertemplate"] == "%{x|%b %Y}: %{y} modeling<extra></extra>"
    layout = fig["layout"]
    assert layout["barmode"] == "stack" and layout["xaxis"]["title"]["text"] == "Month"
    assert layout["yaxis"]["title"]["text"] == "Events" and layout["yaxis"]["dtick"] == 1
    assert layout["font"] == LAYOUT["font"] and layout["paper_bgcolor"] == LAYOUT["paper_bgcolor"]


def test_events_by_month_let_plotly_pick_ticks_past_ten_events():
    fig = charts.events_by_month_chart(MonthlyCounts(months=(D(2026, 9, 1),), by_kind={"Debrief": (11,)}))
    assert "dtick" not in fig["layout"]["yaxis"]


def test_scores_draw_one_line_per_dimension_with_scores():
    series = ScoreSeries(
        rubric="Talk moves",
        scale_max=4,
        dimensions=((1, "Talk"), (2, "Tasks"), (3, "Never scored")),
        points=((D(2026, 1, 5), 1, 2), (D(2026, 1, 5), 2, 3), (D(2026, 2, 5), 1, 3)),
    )
    fig = charts.scores_chart(series)
    assert json.loads(json.dumps(fig)) == fig
    assert [t["name"] for t in fig["data"]] == ["Talk", "Tasks"]
    talk = fig["data"][0]
    assert (talk["x"], talk["y"], talk["mode"]) == (["2026-01-05", "2026-02-05"], [2, 3], "lines+markers")
    assert talk["line"]["color"] == charts.DIMENSION_COLOURS[0]
    layout = fig["layout"]
    assert layout["yaxis"]["range"] == [-0.2, 4.2] and layout["yaxis"]["title"]["text"] == "Score"
    assert "range" not in layout["xaxis"]


def test_scores_on_one_day_show_a_fortnight_around_it():
    series = ScoreSeries(rubric="R", scale_max=3, dimensions=((1, "Talk"),), points=((D(2026, 1, 5), 1, 2),))
    assert charts.scores_chart(series)["layout"]["xaxis"]["range"] == ["2025-12-29", "2026-01-12"]
