"""Plotly figure specs for coaching, built from plain data (no database access). Plain dicts, as in
measures.charts; views embed them as JSON."""

from __future__ import annotations

from datetime import timedelta

from django.utils import translation
from django.utils.translation import gettext

from measures.charts import BLUE, GREY, GRID, LAYOUT, ORANGE, d3_date

from .models import EventKind
from .selectors import MonthlyCounts, ScoreSeries

# One colour per kind, the same on every page (keyed by the kind's English label).
KIND_COLOURS = {
    "Pre-conference / co-plan": BLUE,
    "Modeling": "#5f3dc4",
    "Co-teaching": "#2b8a3e",
    "Observation with feedback": "#e67700",
    "Debrief": "#c2255c",
    "Other": GREY,
}
DIMENSION_COLOURS = (BLUE, ORANGE, "#2b8a3e", "#5f3dc4", "#c2255c", "#1098ad", GREY, "#e67700")
_LAYOUT = {**LAYOUT, "height": 320, "margin": {"l": 50, "r": 20, "t": 20, "b": 40}}


def _axis(title: str, **settings) -> dict:
    """An axis whose title keeps clear of the tick labels and the legend below the plot."""
    return {"title": {"text": title, "standoff": 15}, "automargin": True, "gridcolor": GRID, **settings}


def _kind_colours() -> dict[str, str]:
    """KIND_COLOURS keyed by each kind's label in the active language as well (the page's words)."""
    with translation.override("en"):
        english = {kind: str(kind.label) for kind in EventKind}
    return {**KIND_COLOURS, **{str(kind.label): KIND_COLOURS.get(english[kind], GREY) for kind in EventKind}}


def events_by_month_chart(counts: MonthlyCounts) -> dict:
    """Stacked bars: coaching events per month, by kind."""
    months = [m.isoformat() for m in counts.months]
    colours = _kind_colours()
    data = [
        {
            "type": "bar",
            "x": months,
            "y": list(values),
            "name": label,
            "marker": {"color": colours.get(label, GREY)},
            "hovertemplate": "%{x|%b %Y}: %{y} " + label.lower() + "<extra></extra>",
        }
        for label, values in counts.by_kind.items()
    ]
    highest = max((sum(month) for month in zip(*counts.by_kind.values(), strict=True)), default=0)
    yaxis = _axis(gettext("Events"), rangemode="tozero", tickformat="d")
    if highest <= 10:
        yaxis["dtick"] = 1  # whole events: one tick per event while the bars are short
    layout = {
        **_LAYOUT,
        "legend": {"orientation": "h", "y": -0.2, "traceorder": "normal"},
        "barmode": "stack",
        "xaxis": _axis(gettext("Month"), tickformat="%b %Y", dtick="M1"),
        "yaxis": yaxis,
    }
    return {"data": data, "layout": layout}


def scores_chart(series: ScoreSeries) -> dict:
    """One line per rubric dimension: the score at each observation."""
    data = []
    for n, (order, name) in enumerate(series.dimensions):
        points = [(day, score) for day, o, score in series.points if o == order]
        if not points:
            continue
        data.append(
            {
                "type": "scatter",
                "x": [d.isoformat() for d, _ in points],
                "y": [s for _, s in points],
                "mode": "lines+markers",
                "name": name,
                "line": {"color": DIMENSION_COLOURS[n % len(DIMENSION_COLOURS)], "width": 2},
                "hovertemplate": "%{x|" + d3_date(gettext("M j, Y")) + "}: %{y}<extra>" + name + "</extra>",
            }
        )
    days = sorted({day for day, _, _ in series.points})
    xaxis = _axis(gettext("Observed on"), tickformat=d3_date(gettext("M j")))
    if len(days) == 1:
        # One observation: a fortnight around it, so the axis shows dates rather than hours.
        xaxis["range"] = [(days[0] - timedelta(days=7)).isoformat(), (days[0] + timedelta(days=7)).isoformat()]
    layout = {
        **_LAYOUT,
        "height": 380,
        "legend": {"orientation": "h", "y": -0.25, "font": {"size": 11}},
        "xaxis": xaxis,
        "yaxis": _axis(gettext("Score"), range=[-0.2, series.scale_max + 0.2], dtick=1),
    }
    return {"data": data, "layout": layout}
