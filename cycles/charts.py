"""Plotly figure specs for cycles, built from plain data (no database access): the Study/Assess run
chart with the cycle marked, and the Gantt-like cycle timeline. Plain dicts, as in measures.charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from measures.charts import BLUE, GRID, LAYOUT, MARKER_COLOURS, d3_date, run_chart_spec
from measures.markers import Marker

from .models import CycleStatus
from .selectors import Comparison, Node

GREEN = MARKER_COLOURS["cycle"]
TARGET = "#5c940d"
TODAY = "#495057"
STATUS_COLOURS = {"planned": "#adb5bd", "active": BLUE, "done": GREEN, "abandoned": "#c92a2a"}
DAY_MS = 86_400_000  # a bar's length on a date axis is in milliseconds


def study_chart(comparison: Comparison, *, title: str) -> dict:
    """The measures run chart (centre line = the baseline median) with the cycle's weeks shaded,
    its start and end marked, the cycle-period median and the target."""
    start, end = comparison.period
    fig = run_chart_spec(
        comparison.series,
        title=title,
        markers=[Marker(start, _("cycle starts"), "cycle"), Marker(end, _("cycle ends"), "cycle")],
    )
    data, layout = fig["data"], fig["layout"]
    if comparison.baseline_median is not None:
        for trace in data:
            if trace.get("mode") == "lines" and trace.get("line", {}).get("dash") == "dash":  # the median line
                trace["name"] = _("baseline median %(percent)s%%") % {
                    "percent": f"{100 * comparison.baseline_median:.0f}"
                }
    layout["shapes"].append(
        {
            "type": "rect",
            "xref": "x",
            "yref": "y domain",
            "x0": start.isoformat(),
            "x1": end.isoformat(),
            "y0": 0,
            "y1": 1,
            "fillcolor": GREEN,
            "opacity": 0.07,
            "line": {"width": 0},
        }
    )
    cycle_weeks = [p.week for p in comparison.series.shown if p.week >= start - timedelta(days=start.weekday())]
    if comparison.cycle_median is not None and cycle_weeks:
        data.append(
            {
                "type": "scatter",
                "x": [cycle_weeks[0].isoformat(), cycle_weeks[-1].isoformat()],
                "y": [round(100 * comparison.cycle_median, 1)] * 2,
                "mode": "lines",
                "name": _("cycle median %(percent)s%%") % {"percent": f"{100 * comparison.cycle_median:.0f}"},
                "line": {"color": GREEN, "width": 3},
                "hoverinfo": "skip",
            }
        )
    if comparison.target is not None:
        y = round(100 * comparison.target, 1)
        layout["shapes"].append(
            {
                "type": "line",
                "xref": "x domain",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": y,
                "y1": y,
                "line": {"color": TARGET, "dash": "longdash", "width": 1},
            }
        )
        layout["annotations"].append(
            {
                "text": _("target %(percent)s%%") % {"percent": f"{100 * comparison.target:.0f}"},
                "xref": "x domain",
                "yref": "y",
                "x": 1,
                "y": y,
                "xanchor": "right",
                "yanchor": "top",
                "showarrow": False,
            }
        )
    return fig


def timeline(nodes: Sequence[Node], *, today: date | None = None) -> dict:
    """One bar per cycle from its start to its end, nested cycles indented under their parent."""
    labels = [f"{'  ' * n.depth}{'└ ' if n.depth else ''}{n.cycle.title}" for n in nodes]
    data = []
    for status, colour in STATUS_COLOURS.items():
        rows = [(label, n.cycle) for label, n in zip(labels, nodes, strict=True) if n.cycle.status == status]
        if not rows:
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [label for label, _cycle in rows],
                "x": [((c.end - c.start).days + 1) * DAY_MS for _label, c in rows],
                "base": [c.start.isoformat() for _label, c in rows],
                "name": str(CycleStatus(status).label),
                "marker": {"color": colour},
                "customdata": [
                    [c.get_kind_display().split(" ")[0], date_format(c.start, _("M j")), date_format(c.end, _("M j"))]
                    for _label, c in rows
                ],
                "hovertemplate": "%{y}<br>%{customdata[0]} · %{customdata[1]} – %{customdata[2]}<extra></extra>",
            }
        )
    layout = {
        **LAYOUT,
        "height": 120 + 34 * max(len(nodes), 1),
        "margin": {"l": 10, "r": 20, "t": 30, "b": 40},
        "barmode": "overlay",
        "xaxis": {"type": "date", "tickformat": d3_date(_("M j")), "gridcolor": GRID},
        "yaxis": {"categoryorder": "array", "categoryarray": labels[::-1], "automargin": True},
        "shapes": [],
        "annotations": [],
    }
    if today is not None:
        layout["shapes"].append(
            {
                "type": "line",
                "xref": "x",
                "yref": "y domain",
                "x0": today.isoformat(),
                "x1": today.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": TODAY, "dash": "dot"},
            }
        )
        layout["annotations"].append(
            {
                "x": today.isoformat(),
                "y": 1,
                "yref": "paper",
                "text": _("today"),
                "showarrow": False,
                "yanchor": "bottom",
            }
        )
    return {"data": data, "layout": layout}
