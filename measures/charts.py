"""Plotly figures built from plain data (no database access). Views embed them as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

import plotly.graph_objects as go

from .aggregation import AdministrationResults, Cell, Series
from .markers import Marker

BLUE = "#0b5cad"
ORANGE = "#d9480f"
GREY = "#868e96"
_LAYOUT = dict(
    margin=dict(l=50, r=20, t=50, b=40),
    height=340,
    template="plotly_white",
    font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size=13),
    legend=dict(orientation="h", y=-0.2),
)


def to_json(figure: go.Figure) -> dict:
    """A plain dict for json_script (plotly's encoder handles dates and numpy values)."""
    return json.loads(figure.to_json())


def run_chart(series: Series, *, title: str | None = None, markers: Sequence[Marker] = ()) -> go.Figure:
    """Weekly productive share with its median; a non-random pattern (Anhøj rules) is called out."""
    shown = [p for p in series.points if not p.suppressed]
    x = [p.week for p in series.points]
    y = [None if p.value is None else round(100 * p.value, 1) for p in series.points]
    text = [
        f"n = {p.n_responses}" if not p.suppressed else f"fewer than {series.min_n} responses" for p in series.points
    ]
    a = series.analysis
    signal = a.runs_signal
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name="% productive",
            line=dict(color=ORANGE if signal else BLUE, width=2),
            marker=dict(size=8, symbol=["diamond" if signal else "circle" for _ in x]),
            text=text,
            hovertemplate="%{x|%b %d}: %{y}%<br>%{text}<extra></extra>",
            connectgaps=False,
        )
    )
    if a.center is not None and shown:
        fig.add_trace(
            go.Scatter(
                x=[shown[0].week, shown[-1].week],
                y=[round(100 * a.center, 1)] * 2,
                mode="lines",
                name=f"median {100 * a.center:.0f}%",
                line=dict(color=GREY, dash="dash"),
                hoverinfo="skip",
            )
        )
    for m in markers:
        fig.add_vline(x=m.day.isoformat(), line=dict(color="#2b8a3e", dash="dot"))
        fig.add_annotation(x=m.day.isoformat(), y=100, text=m.label, showarrow=False, yanchor="bottom", font_size=11)
    heading = {"title": dict(text=f"{title}<br><sup>{signal_summary(series)}</sup>", x=0, font_size=15)}
    fig.update_layout(
        **{**_LAYOUT, **(heading if title else {"margin": dict(l=50, r=20, t=20, b=40)})},
        yaxis=dict(title="% productive answers", range=[0, 105], ticksuffix="%"),
        xaxis=dict(title="Week", tickformat="%b %d"),
    )
    return fig


def signal_summary(series: Series) -> str:
    """A sentence saying whether the run chart shows non-random change, and why."""
    a = series.analysis
    if not a.n_useful:
        return "Not enough data yet"
    if not a.runs_signal:
        return "No non-random change yet (Anhøj rules)"
    reasons = []
    if a.longest_run > a.longest_run_max:
        reasons.append(f"a run of {a.longest_run} weeks on one side of the median (limit {a.longest_run_max})")
    if a.crossings < a.crossings_min:
        reasons.append(f"only {a.crossings} crossings of the median (at least {a.crossings_min} expected)")
    return "Non-random change (Anhøj rules): " + " and ".join(reasons)


def distribution_chart(results: AdministrationResults, *, item_index: int) -> go.Figure:
    item = results.items[item_index]
    labels = [f"{'✓ ' if o.productive else ''}{o.label}" for o in item.options]
    fig = go.Figure(
        go.Bar(
            x=[round(100 * o.share, 1) for o in item.options],
            y=labels,
            orientation="h",
            marker=dict(color=[BLUE if o.productive else "#adb5bd" for o in item.options]),
            text=[f"{100 * o.share:.0f}% ({o.count})" for o in item.options],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        **{**_LAYOUT, "height": 80 + 48 * len(labels), "margin": dict(l=10, r=10, t=10, b=30)},
        xaxis=dict(range=[0, 100], ticksuffix="%"),
        yaxis=dict(autorange="reversed", automargin=True),
        showlegend=False,
    )
    return fig


def breakdown_chart(cells: Sequence[Cell], *, title: str, min_n: int) -> go.Figure:
    shown = [c for c in cells if c.value is not None]
    fig = go.Figure(
        go.Bar(
            x=[round(100 * c.value, 1) for c in shown],
            y=[c.label for c in shown],
            orientation="h",
            marker_color=BLUE,
            text=[f"{100 * c.value:.0f}% (n={c.n_responses})" for c in shown],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    withheld = len(cells) - len(shown)
    note = f"<br><sup>{withheld} withheld (fewer than {min_n} responses, or not shared)</sup>" if withheld else ""
    fig.update_layout(
        **{**_LAYOUT, "height": 120 + 36 * max(len(shown), 1)},
        title=dict(text=title + note, x=0, font_size=15),
        xaxis=dict(range=[0, 100], ticksuffix="%"),
        yaxis=dict(autorange="reversed", automargin=True),
        showlegend=False,
    )
    return fig
