"""Plotly figures for coaching, built from plain data (no database access). Views embed them as JSON."""

from __future__ import annotations

from datetime import timedelta

import plotly.graph_objects as go

from measures.charts import to_json  # noqa: F401  (re-exported for the views)

from .selectors import MonthlyCounts, ScoreSeries

# One colour per kind, the same on every page.
KIND_COLOURS = {
    "Pre-conference / co-plan": "#0b5cad",
    "Modeling": "#5f3dc4",
    "Co-teaching": "#2b8a3e",
    "Observation with feedback": "#e67700",
    "Debrief": "#c2255c",
    "Other": "#868e96",
}
DIMENSION_COLOURS = ("#0b5cad", "#d9480f", "#2b8a3e", "#5f3dc4", "#c2255c", "#1098ad", "#868e96", "#e67700")
_LAYOUT = dict(
    margin=dict(l=50, r=20, t=20, b=40),
    height=320,
    template="plotly_white",
    font=dict(family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size=13),
    legend=dict(orientation="h", y=-0.2),
)


def events_by_month_chart(counts: MonthlyCounts) -> go.Figure:
    """Stacked bars: coaching events per month, by kind."""
    months = [m.isoformat() for m in counts.months]
    fig = go.Figure()
    for label, values in counts.by_kind.items():
        fig.add_trace(
            go.Bar(
                x=months,
                y=list(values),
                name=label,
                marker_color=KIND_COLOURS.get(label, "#868e96"),
                hovertemplate="%{x|%b %Y}: %{y} " + label.lower() + "<extra></extra>",
            )
        )
    highest = max((sum(month) for month in zip(*counts.by_kind.values(), strict=True)), default=0)
    fig.update_layout(
        **{**_LAYOUT, "legend": dict(orientation="h", y=-0.2, traceorder="normal")},
        barmode="stack",
        xaxis=dict(title="Month", tickformat="%b %Y", dtick="M1"),
        # Whole events: one tick per event while the bars are short.
        yaxis=dict(title="Events", rangemode="tozero", tickformat="d", dtick=1 if highest <= 10 else None),
    )
    return fig


def scores_chart(series: ScoreSeries) -> go.Figure:
    """One line per rubric dimension: the score at each observation."""
    names = dict(series.dimensions)
    fig = go.Figure()
    for n, (order, name) in enumerate(series.dimensions):
        points = [(day, score) for day, o, score in series.points if o == order]
        if not points:
            continue
        fig.add_trace(
            go.Scatter(
                x=[d.isoformat() for d, _ in points],
                y=[s for _, s in points],
                mode="lines+markers",
                name=names[order],
                line=dict(color=DIMENSION_COLOURS[n % len(DIMENSION_COLOURS)], width=2),
                hovertemplate="%{x|%b %d, %Y}: %{y}<extra>" + name + "</extra>",
            )
        )
    days = sorted({day for day, _, _ in series.points})
    xaxis = dict(title="Observed on", tickformat="%b %d")
    if len(days) == 1:
        # One observation: a fortnight around it, so the axis shows dates rather than hours.
        xaxis.update(range=[(days[0] - timedelta(days=7)).isoformat(), (days[0] + timedelta(days=7)).isoformat()])
    fig.update_layout(
        **{**_LAYOUT, "height": 380, "legend": dict(orientation="h", y=-0.25, font_size=11)},
        xaxis=xaxis,
        yaxis=dict(title="Score", range=[-0.2, series.scale_max + 0.2], dtick=1),
    )
    return fig
