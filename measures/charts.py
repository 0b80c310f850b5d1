"""Plotly figures built from plain data (no database access). Views embed them as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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
# Django date format characters and the d3 directives plotly.js draws the same part of a date with.
D3_DATE = {"M": "%b", "F": "%B", "b": "%b", "j": "%-d", "d": "%d", "Y": "%Y", "y": "%y", "D": "%a", "l": "%A"}


def d3_date(django_format: str) -> str:
    """A plotly.js (d3) date format for a Django one, so the charts write a date in the order of the
    reader's language ("Dec 7" in English, "7 Dic" in Spanish): pass a translated format,
    d3_date(_("M j")). The month and weekday names come from the page's chart locale."""
    return "".join(D3_DATE.get(ch, ch.replace("%", "%%")) for ch in django_format)


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


MARKER_ROWS = 3  # marker labels stack in at most this many rows above the plot
MARKER_ROW_PX = 15


def marker_rows(markers: Sequence[Marker], *, span_days: int, fraction: float) -> list[int]:
    """The label row of each marker (sorted by day): a label moves up a row while the one before it
    in that row is closer than `fraction` of the axis, so labels of close dates do not overlap."""
    gap = max(1, round(span_days * fraction))
    last: dict[int, object] = {}
    rows = []
    for i, m in enumerate(markers):
        row = next((r for r in range(MARKER_ROWS) if r not in last or (m.day - last[r]).days >= gap), i % MARKER_ROWS)
        last[row] = m.day
        rows.append(row)
    return rows


def _marker_layout(markers: Sequence[Marker], x_range: tuple[date, date] | None, *, compact: bool):
    """Dotted lines at each marked date, short labels staggered above the plot, full text on hover."""
    markers = sorted(markers, key=lambda m: m.day)
    if x_range is not None:
        lo, hi = x_range
    elif markers:
        lo, hi = markers[0].day, markers[-1].day
    else:
        return [], [], 0
    span = max(1, (hi - lo).days)
    rows = marker_rows(markers, span_days=span, fraction=0.16 if compact else 0.09)
    shapes, annotations = [], []
    for m, row in zip(markers, rows, strict=True):
        colour = MARKER_COLOURS.get(m.kind, MARKER_COLOURS["cycle"])
        shapes.append(
            {"type": "line", "xref": "x", "yref": "paper", "x0": m.day.isoformat(), "x1": m.day.isoformat(),
             "y0": 0, "y1": 1, "line": {"color": colour, "dash": "dot"}}
        )  # fmt: skip
        # Labels in the right quarter hang to the left of their line, so none runs off the chart.
        right = (m.day - lo).days > 0.75 * span
        annotations.append(
            {
                "x": m.day.isoformat(),
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": m.label,
                "hovertext": f"{m.detail or m.label} ({date_format(m.day, _('M j'))})",
                "showarrow": False,
                "xanchor": "right" if right else "left",
                "yanchor": "bottom",
                "yshift": 2 + MARKER_ROW_PX * row,
                "font": {"size": 11, "color": colour},
            }
        )
    return shapes, annotations, (max(rows) + 1 if rows else 0)


def run_chart_spec(
    series: Series,
    *,
    title: str | None = None,
    markers: Sequence[Marker] = (),
    x_range: tuple[date, date] | None = None,
    compact: bool = False,
) -> dict:
    """Weekly productive share with its median; a non-random pattern (Anhøj rules) is called out.

    `x_range` gives charts of one page one shared time axis; `compact` draws a small multiple (no
    axis titles or legend: the card around it says what it shows). Built as a plain dict: plotly's
    validating Figure classes cost ~20 ms a chart, this ~0.1 ms.
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
            "marker": {"size": 6 if compact else 8, "symbol": "diamond" if signal else "circle"},
            "text": [
                f"n = {p.n_responses}"
                if not p.suppressed
                else (p.reason or _("fewer than %(n)s responses") % {"n": series.min_n})
                for p in series.points
            ],
            "hovertemplate": "%{x|" + d3_date(_("M j")) + "}: %{y}%<br>%{text}<extra></extra>",
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
    days = [p.week for p in series.points] + [m.day for m in markers]
    span = x_range or ((min(days), max(days)) if days else None)
    shapes, annotations, label_rows = _marker_layout(markers, span, compact=compact)
    top = 8 + MARKER_ROW_PX * label_rows + (4 if label_rows else 0)
    xaxis = {"tickformat": d3_date(_("M j")), "type": "date", "gridcolor": GRID}
    if x_range is not None:
        xaxis["range"] = [(x_range[0] - timedelta(days=3)).isoformat(), (x_range[1] + timedelta(days=3)).isoformat()]
    yaxis = {"range": [0, 105], "ticksuffix": "%", "gridcolor": GRID}
    if compact:
        layout = {
            **LAYOUT,
            "height": 190 + top,
            "margin": {"l": 44, "r": 12, "t": top, "b": 28},
            "showlegend": False,
            "yaxis": {**yaxis, "nticks": 4},
            "xaxis": {**xaxis, "nticks": 5},
        }
    else:
        # Room under the axis for its title and, below that, the legend (one row in English, near
        # two in Spanish, whose labels run longer); the y title fits the plot's height in both.
        layout = {
            **LAYOUT,
            "height": 380,
            "legend": {"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top"},
            "yaxis": {**yaxis, "title": {"text": _("% productive answers"), "standoff": 4}},
            "xaxis": {**xaxis, "title": {"text": _("Week"), "standoff": 6}},
        }
    layout["shapes"] = shapes
    layout["annotations"] = annotations
    if title:
        layout["title"] = {"text": f"{title}<br><sup>{signal_summary(series)}</sup>", "x": 0, "font": {"size": 15}}
        layout["margin"] = {**layout["margin"], "t": max(50, top + 40), "b": 40 if compact else 90}
    elif not compact:
        layout["margin"] = {"l": 50, "r": 20, "t": max(20, top), "b": 90}
    return {"data": data, "layout": layout}


def signal_brief(series: Series) -> str:
    """The run chart's verdict in a few words, for a one-line summary."""
    a = series.analysis
    if not a.n_useful:
        return _("not enough data yet")
    if not a.runs_signal:
        return _("no signal")
    if a.longest_run > a.longest_run_max:
        return _("signal: a run of %(weeks)s weeks on one side of the median") % {"weeks": a.longest_run}
    return ngettext("signal: %(n)s crossing of the median", "signal: %(n)s crossings of the median", a.crossings) % {
        "n": a.crossings
    }


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
        if a.crossings == 0:
            reasons.append(
                _("no crossings of the median (at least %(expected)s expected)") % {"expected": a.crossings_min}
            )
        else:
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
    reasons = sorted({str(f.reason) for f in figures if f.reason})
    withheld = len(figures) - len(shown)
    note = ""
    if withheld:
        note = "<br><sup>%s</sup>" % (
            ngettext("%(n)s withheld (%(reasons)s)", "%(n)s withheld (%(reasons)s)", withheld)
            % {"n": withheld, "reasons": "; ".join(reasons)}
        )

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


def numbers_rows(series: Series, week_labels: dict | None = None) -> SafeString:
    """The body of a run chart's "Show the numbers" table: each week, its responses and its share,
    or why it is withheld. Built here rather than in a template loop: six charts of forty weeks each
    through the template language cost about half of a dashboard's time. `week_labels` keeps each
    week's escaped date between the charts of one page."""
    labels = {} if week_labels is None else week_labels
    withheld = escape(_("withheld"))
    fewer = _("fewer than the minimum group size")
    rows = []
    for p in series.points:
        week = labels.get(p.week)
        if week is None:
            week = labels[p.week] = escape(date_format(p.week, "DATE_FORMAT"))
        if p.suppressed:
            reason = escape(p.reason or fewer)
            rows.append(f'<tr><td>{week}</td><td colspan="2" class="suppressed">{withheld}: {reason}</td></tr>')
        else:
            share = f"{round(p.n_productive / p.n_answered * 100)}%" if p.value is not None else "—"
            rows.append(f"<tr><td>{week}</td><td>{int(p.n_responses)}</td><td>{share}</td></tr>")
    return mark_safe("".join(rows))  # noqa: S308 - every text in it is escaped above; the rest are numbers
