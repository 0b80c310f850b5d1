"""Plotly figures for cycles, built from plain data (no database access): the Study/Assess run
chart with the cycle marked, and the Gantt-like cycle timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import plotly.graph_objects as go

from measures import charts as measure_charts
from measures.markers import Marker

from .selectors import Comparison, Node

GREEN = "#2b8a3e"
STATUS_COLOURS = {"planned": "#adb5bd", "active": "#0b5cad", "done": "#2b8a3e", "abandoned": "#c92a2a"}


def study_chart(comparison: Comparison, *, title: str) -> go.Figure:
    """The measures run chart (centre line = the baseline median) with the cycle's weeks shaded,
    its start and end marked, the cycle-period median and the target."""
    start, end = comparison.period
    fig = measure_charts.run_chart(
        comparison.series,
        title=title,
        markers=[Marker(start, "cycle starts", "cycle"), Marker(end, "cycle ends", "cycle")],
    )
    for trace in fig.data:
        if trace.name and trace.name.startswith("median") and comparison.baseline_median is not None:
            trace.name = f"baseline median {100 * comparison.baseline_median:.0f}%"
    fig.add_vrect(x0=start.isoformat(), x1=end.isoformat(), fillcolor=GREEN, opacity=0.07, line_width=0)
    cycle_weeks = [p.week for p in comparison.series.shown if p.week >= start - timedelta(days=start.weekday())]
    if comparison.cycle_median is not None and cycle_weeks:
        fig.add_trace(
            go.Scatter(
                x=[cycle_weeks[0], cycle_weeks[-1]] if len(cycle_weeks) > 1 else [cycle_weeks[0]] * 2,
                y=[round(100 * comparison.cycle_median, 1)] * 2,
                mode="lines",
                name=f"cycle median {100 * comparison.cycle_median:.0f}%",
                line=dict(color=GREEN, width=3),
                hoverinfo="skip",
            )
        )
    if comparison.target is not None:
        fig.add_hline(
            y=round(100 * comparison.target, 1),
            line=dict(color="#5c940d", dash="longdash", width=1),
            annotation_text=f"target {100 * comparison.target:.0f}%",
            annotation_position="bottom right",
        )
    return fig


def timeline(nodes: Sequence[Node], *, today=None) -> go.Figure:
    """One bar per cycle from its start to its end, nested cycles indented under their parent."""
    labels = [f"{'  ' * n.depth}{'└ ' if n.depth else ''}{n.cycle.title}" for n in nodes]
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        rows = [(label, n) for label, n in zip(labels, nodes, strict=True) if n.cycle.status == status]
        if not rows:
            continue
        fig.add_trace(
            go.Bar(
                y=[label for label, _ in rows],
                x=[((n.cycle.end - n.cycle.start).days + 1) * 86_400_000 for _, n in rows],
                base=[n.cycle.start.isoformat() for _, n in rows],
                orientation="h",
                name=status.capitalize(),
                marker_color=colour,
                customdata=[
                    [n.cycle.get_kind_display().split(" ")[0], f"{n.cycle.start:%b %d}", f"{n.cycle.end:%b %d}"]
                    for _, n in rows
                ],
                hovertemplate="%{y}<br>%{customdata[0]} · %{customdata[1]} – %{customdata[2]}<extra></extra>",
            )
        )
    if today is not None:
        fig.add_vline(x=today.isoformat(), line=dict(color="#495057", dash="dot"))
        fig.add_annotation(x=today.isoformat(), y=1, yref="paper", text="today", showarrow=False, yanchor="bottom")
    fig.update_layout(
        **{**measure_charts.LAYOUT, "height": 120 + 34 * max(len(nodes), 1), "margin": dict(l=10, r=20, t=30, b=40)},
        barmode="overlay",
        xaxis=dict(type="date", tickformat="%b %d"),
        yaxis=dict(categoryorder="array", categoryarray=labels[::-1], automargin=True),
    )
    return fig
