"""Plotly figure (plain dict) of how a leader's facilitation evidence moved across cycles."""

from __future__ import annotations

from measures.charts import GRID, LAYOUT

from .pd_models import FacilitationGoal
from .pd_selectors import EvidencePoint

GOAL_COLOURS = {
    FacilitationGoal.PROGRESSION: "#0b5cad",
    FacilitationGoal.DESIGN: "#2b8a3e",
    FacilitationGoal.PRESS: "#d9480f",
    FacilitationGoal.REORGANIZE: "#7048e8",
}
SHORT = {
    FacilitationGoal.PROGRESSION: "1 · Progression",
    FacilitationGoal.DESIGN: "2 · Designing supports",
    FacilitationGoal.PRESS: "3 · Pressing on ideas",
    FacilitationGoal.REORGANIZE: "4 · Reorganizing practice",
}


def evidence_spec(labels: list[str], points: list[EvidencePoint], *, title: str) -> dict:
    """One line per goal: the share of coded evidence showing improvement, "x of n" on hover."""
    data = []
    for goal in FacilitationGoal:
        mine = {p.label: p for p in points if p.goal == goal.value}
        if not mine:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": SHORT[goal],
                "x": labels,
                "y": [round(100 * mine[x].share) if x in mine else None for x in labels],
                "text": [
                    f"{mine[x].improvement} of {mine[x].n} pieces of evidence" if x in mine else "" for x in labels
                ],
                "hovertemplate": "%{x}: %{y}% improvement (%{text})<extra>" + SHORT[goal] + "</extra>",
                "connectgaps": True,
                "line": {"color": GOAL_COLOURS[goal], "width": 2},
                "marker": {"size": 9},
            }
        )
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "title": {"text": title},
            "margin": {**LAYOUT["margin"], "l": 80},
            "yaxis": {
                "title": {"text": "% of evidence showing improvement"},
                "range": [-5, 105],
                "ticksuffix": "%",
                "gridcolor": GRID,
            },
            "xaxis": {"type": "category", "gridcolor": GRID},
        },
    }
