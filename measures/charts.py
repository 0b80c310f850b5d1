"""Plotly figures built from plain data (no database access). Views embed them as JSON."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .aggregation import AdministrationResults, Series
from .markers import Marker

BLUE = "#0b5cad"
ORANGE = "#d9480f"
GREY = "#868e96"
GRID = "#e9ecef"
# Marker lines by what they mark: improvement cycles, coaching events, PD sessions attended.
MARKER_COLOURS = {"cycle": "#2b8a3e", "coaching": "#495057", "pd": "#7048e8"}
LAYOUT = dict(
    margin=dict(l=50, r=20, t=50, b=40),
    height=340,
    # Colours set directly: a named template ("plotly_white") exists only in the Python library,
    # and these figures go to plotly.js as plain JSON.
    paper_bgcolor="#fff",
    plot_bgcolor="#fff",
    font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size=13),
    legend=dict(orientation="h", y=-0.2),
)


def run_chart_spec(series: Series, *, title: str | None = None, markers: Sequence[Marker] = ()) -> dict:
    """Weekly productive share with its median; a non-random pattern (Anhøj rules) is called out.

    Built as a plain dict: plotly's validating Figure classes cost ~20 ms a chart, this ~0.1 ms.
    """
    a = series.analysis
    signal = a.runs_signal
    x = [p.week.isoformat() for p in series.points]
    shown = [p for p in series.points if not p.suppressed]
    data = [
        {
            "type": "scatter",
            "x": x,
            "y": [None if p.value is None else round(100 * p.value, 1) for p in series.points],
            "mode": "lines+markers",
            "name": _("% productive"),
            "line": {"color": ORANGE if signal else BLUE, "width": 2},
            "marker": {"size": 8, "symbol": "diamond" if signal else "circle"},
            "text": [
                f"n = {p.n_responses}"
                if not p.suppressed
                else (p.reason or _("fewer than %(n)s responses") % {"n": series.min_n})
                for p in series.points
            ],
            "hovertemplate": "%{x|%b %d}: %{y}%<br>%{text}<extra></extra>",
            "connectgaps": False,
        }
    ]
    if a.center is not None and shown:
        data.append(
            {
                "type": "scatter",
                "x": [shown[0].week.isoformat(), shown[-1].week.isoformat()],
                "y": [round(100 * a.center, 1)] * 2,
                "mode": "lines",
                "name": _("median %(percent)s%%") % {"percent": f"{100 * a.center:.0f}"},
                "line": {"color": GREY, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
    layout = {
        **LAYOUT,
        "yaxis": {
            "title": {"text": _("% productive answers")},
            "range": [0, 105],
            "ticksuffix": "%",
            "gridcolor": GRID,
        },
        "xaxis": {"title": {"text": _("Week")}, "tickformat": "%b %d", "type": "date", "gridcolor": GRID},
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": m.day.isoformat(),
                "x1": m.day.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": MARKER_COLOURS.get(m.kind, MARKER_COLOURS["cycle"]), "dash": "dot"},
            }
            for m in markers
        ],
        "annotations": [
            {
                "x": m.day.isoformat(),
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": m.label,
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 11, "color": MARKER_COLOURS.get(m.kind, MARKER_COLOURS["cycle"])},
            }
            for m in markers
        ],
    }
    if title:
        layout["title"] = {"text": f"{title}<br><sup>{signal_summary(series)}</sup>", "x": 0, "font": {"size": 15}}
    else:
        layout["margin"] = {"l": 50, "r": 20, "t": 20, "b": 40}
    return {"data": data, "layout": layout}


def signal_summary(series: Series) -> str:
    """A sentence saying whether the run chart shows non-random change, and why."""
    a = series.analysis
    if not a.n_useful:
        return _("Not enough data yet")
    if not a.runs_signal:
        return _("No non-random change yet (Anhøj rules)")
    reasons = []
    if a.longest_run > a.longest_run_max:
        reasons.append(
            _("a run of %(weeks)s weeks on one side of the median (limit %(limit)s)")
            % {"weeks": a.longest_run, "limit": a.longest_run_max}
        )
    if a.crossings < a.crossings_min:
        reasons.append(
            ngettext(
                "only %(n)s crossing of the median (at least %(expected)s expected)",
                "only %(n)s crossings of the median (at least %(expected)s expected)",
                a.crossings,
            )
            % {"n": a.crossings, "expected": a.crossings_min}
        )
    return _("Non-random change (Anhøj rules): %(reasons)s") % {"reasons": _(" and ").join(reasons)}


def distribution_chart(results: AdministrationResults, *, item_index: int) -> dict:
    """One item's answers as horizontal bars; productive answers carry a ✓, not only a colour."""
    item = results.items[item_index]
    labels = [f"{'✓ ' if o.productive else ''}{o.label}" for o in item.options]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [round(100 * o.share, 1) for o in item.options],
                "y": labels,
                "marker": {"color": [BLUE if o.productive else "#adb5bd" for o in item.options]},
                "text": [f"{100 * o.share:.0f}% ({o.count})" for o in item.options],
                "textposition": "auto",
                "hoverinfo": "skip",
            }
        ],
        "layout": {
            **LAYOUT,
            "height": 80 + 48 * len(labels),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 30},
            "xaxis": {"range": [0, 100], "ticksuffix": "%", "gridcolor": GRID},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "showlegend": False,
        },
    }


def breakdown_chart(figures: Sequence, *, title: str) -> dict:
    """Published figures (measures.publication.Figure) as bars; withheld ones are counted in the
    title with their reasons, never drawn."""
    shown = [f for f in figures if f.value is not None]
    reasons = sorted({f.reason for f in figures if f.reason})
    withheld = len(figures) - len(shown)
    note = f"<br><sup>{withheld} withheld ({'; '.join(reasons)})</sup>" if withheld else ""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [round(100 * f.value, 1) for f in shown],
                "y": [f.label for f in shown],
                "marker": {"color": BLUE},
                "text": [f"{100 * f.value:.0f}% (n={f.n_responses})" for f in shown],
                "textposition": "auto",
                "hoverinfo": "skip",
            }
        ],
        "layout": {
            **LAYOUT,
            "height": 120 + 36 * max(len(shown), 1),
            "title": {"text": title + note, "x": 0, "font": {"size": 15}},
            "xaxis": {"range": [0, 100], "ticksuffix": "%", "gridcolor": GRID},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "showlegend": False,
        },
    }
