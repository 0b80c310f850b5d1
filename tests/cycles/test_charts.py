"""cycles.charts builds plain plotly figure specs (dicts) from plain data: the Study/Assess run chart
with the cycle marked, and the cycle timeline."""

import datetime
import json
from types import SimpleNamespace

from cycles import charts, selectors
from cycles.selectors import Node
from measures.aggregation import SeriesPoint
from measures.charts import LAYOUT

D = datetime.date


def _comparison(*, target=0.8):
    shares = [0.3, 0.35, 0.4, 0.3, 0.35, 0.6, 0.65, 0.7, 0.6, 0.65, 0.7, 0.65]
    points = [
        SeriesPoint(D(2026, 1, 5) + datetime.timedelta(weeks=i), 20, 20, round(share * 20), suppressed=False)
        for i, share in enumerate(shares)
    ]
    return selectors.compare(
        points, baseline=(D(2026, 1, 5), D(2026, 2, 6)), period=(D(2026, 2, 9), D(2026, 3, 27)), min_n=10, target=target
    )


def _node(title, status, start, end, *, depth=0, kind="PDSA cycle"):
    cycle = SimpleNamespace(title=title, status=status, start=start, end=end, get_kind_display=lambda: kind)
    return Node(cycle, depth)


def test_the_study_chart_is_a_plain_spec_with_the_baseline_and_cycle_medians():
    fig = charts.study_chart(_comparison(), title="Discussion check")
    assert json.loads(json.dumps(fig)) == fig  # plain JSON: no plotly objects, no dates
    assert [t["name"] for t in fig["data"]] == ["% productive", "baseline median 35%", "cycle median 65%"]
    cycle_median = fig["data"][2]
    assert cycle_median["x"] == ["2026-02-09", "2026-03-23"] and cycle_median["y"] == [65.0, 65.0]
    assert cycle_median["line"] == {"color": charts.GREEN, "width": 3}
    layout = fig["layout"]
    assert layout["title"]["text"].startswith("Discussion check<br><sup>Non-random change")
    assert layout["xaxis"]["title"]["text"] == "Week" and layout["yaxis"]["title"]["text"] == "% productive answers"
    assert layout["font"] == LAYOUT["font"] and layout["paper_bgcolor"] == LAYOUT["paper_bgcolor"]


def test_the_study_chart_shades_the_cycle_and_draws_the_target():
    fig = charts.study_chart(_comparison(), title="Discussion check")
    shapes, annotations = fig["layout"]["shapes"], fig["layout"]["annotations"]
    assert [(s["type"], s["x0"]) for s in shapes[:2]] == [("line", "2026-02-09"), ("line", "2026-03-27")]
    shade = shapes[2]
    assert (shade["type"], shade["x0"], shade["x1"], shade["yref"]) == ("rect", "2026-02-09", "2026-03-27", "y domain")
    target = shapes[3]
    assert (target["xref"], target["y0"], target["y1"]) == ("x domain", 80.0, 80.0)
    assert [a["text"] for a in annotations] == ["cycle starts", "cycle ends", "target 80%"]


def test_the_study_chart_has_no_target_line_without_a_target():
    fig = charts.study_chart(_comparison(target=None), title="Discussion check")
    assert [s["type"] for s in fig["layout"]["shapes"]] == ["line", "line", "rect"]
    assert "target" not in json.dumps(fig["layout"]["annotations"])


def test_the_timeline_has_one_bar_trace_per_status_and_nests_children():
    nodes = [
        _node("District ROCI", "active", D(2026, 1, 5), D(2026, 3, 27), kind="ROCI cycle"),
        _node("Nested", "done", D(2026, 1, 12), D(2026, 1, 23), depth=1),
        _node("Next", "planned", D(2026, 2, 2), D(2026, 2, 20), depth=1),
    ]
    fig = charts.timeline(nodes, today=D(2026, 2, 10))
    assert json.loads(json.dumps(fig)) == fig
    assert [t["name"] for t in fig["data"]] == ["Planned", "Active", "Done"]
    active = fig["data"][1]
    assert active["y"] == ["District ROCI"] and active["base"] == ["2026-01-05"]
    assert active["x"] == [82 * 86_400_000]  # 82 days, both ends included, in milliseconds
    assert active["customdata"] == [["ROCI", "Jan 5", "Mar 27"]]  # the "M j" of every date on the site
    assert active["marker"] == {"color": charts.STATUS_COLOURS["active"]}
    layout = fig["layout"]
    assert layout["yaxis"]["categoryarray"] == ["  └ Next", "  └ Nested", "District ROCI"]
    assert layout["height"] == 120 + 34 * 3 and layout["barmode"] == "overlay"
    assert layout["shapes"][0]["x0"] == "2026-02-10" and layout["annotations"][0]["text"] == "today"


def test_the_timeline_without_today_has_no_today_line():
    fig = charts.timeline([_node("Solo", "abandoned", D(2026, 1, 5), D(2026, 1, 9))])
    assert [t["name"] for t in fig["data"]] == ["Abandoned"]
    assert fig["layout"]["shapes"] == [] and fig["layout"]["annotations"] == []
