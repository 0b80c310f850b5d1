"""Plotly figure (plain dict) of how a leader's facilitation evidence moved across cycles."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.charts import GRID, LAYOUT

from .models import FacilitationGoal
from .selectors import EvidencePoint, FeedbackPoint

GOAL_COLOURS = {
    FacilitationGoal.PROGRESSION: "#0b5cad",
    FacilitationGoal.DESIGN: "#2b8a3e",
    FacilitationGoal.PRESS: "#d9480f",
    FacilitationGoal.REORGANIZE: "#7048e8",
}
# Goals often share a value: distinct marks and dashes keep overlapping lines readable.
MARKS = {
    FacilitationGoal.PROGRESSION: ("circle", "solid"),
    FacilitationGoal.DESIGN: ("square", "dash"),
    FacilitationGoal.PRESS: ("diamond", "solid"),
    FacilitationGoal.REORGANIZE: ("triangle-up", "dot"),
}
SHORT = {
    FacilitationGoal.PROGRESSION: _("1 · Progression"),
    FacilitationGoal.DESIGN: _("2 · Designing supports"),
    FacilitationGoal.PRESS: _("3 · Pressing on ideas"),
    FacilitationGoal.REORGANIZE: _("4 · Reorganizing practice"),
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
                "name": str(SHORT[goal]),
                "x": labels,
                "y": [round(100 * mine[x].share) if x in mine else None for x in labels],
                "text": [
                    gettext("%(improvement)s of %(n)s pieces of evidence")
                    % {"improvement": mine[x].improvement, "n": mine[x].n}
                    if x in mine
                    else ""
                    for x in labels
                ],
                "hovertemplate": "%{x}: %{y}% "
                + gettext("improvement")
                + " (%{text})<extra>"
                + str(SHORT[goal])
                + "</extra>",
                "connectgaps": True,
                "line": {"color": GOAL_COLOURS[goal], "width": 2, "dash": MARKS[goal][1]},
                "marker": {"size": 10, "symbol": MARKS[goal][0]},
            }
        )
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "title": {"text": title},
            "margin": {**LAYOUT["margin"], "l": 80},
            "yaxis": {
                "title": {"text": gettext("Evidence showing improvement (%)")},
                "range": [-5, 105],
                "ticksuffix": "%",
                "gridcolor": GRID,
            },
            "xaxis": {"type": "category", "gridcolor": GRID},
        },
    }


def feedback_spec(points: list[FeedbackPoint]) -> dict:
    """One line per feedback item: % of participants who agreed, session by session; a gap where
    fewer than the district's minimum answered (the hover says so)."""
    sessions = []
    for p in points:
        if p.session not in sessions:
            sessions.append(p.session)
    labels = []
    for s in sessions:  # dates on the axis; the hover names the session
        label = date_format(s.date, gettext("M j"))
        while label in labels:
            label += "·"
        labels.append(label)
    colours = ["#0b5cad", "#2b8a3e", "#d9480f", "#7048e8"]
    data = []
    prompts = list(dict.fromkeys(p.prompt for p in points))
    for n, prompt in enumerate(prompts):
        mine = {p.session.pk: p for p in points if p.prompt == prompt}
        ys, texts = [], []
        for s in sessions:
            p = mine.get(s.pk)
            ys.append(round(100 * p.share) if p and p.share is not None else None)
            texts.append(
                f"{s.title}: "
                + (
                    gettext("not shown, fewer answers than the minimum")
                    if p is None or p.share is None
                    else gettext("%(agree)s of %(n)s agreed") % {"agree": p.n_agree, "n": p.n}
                )
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": prompt,
                "x": labels,
                "y": ys,
                "text": texts,
                "hovertemplate": "%{x}, %{text} (%{y}%)<extra></extra>",
                "line": {"color": colours[n % len(colours)], "width": 2},
                "marker": {"size": 9},
            }
        )
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "margin": {**LAYOUT["margin"], "l": 80},
            "yaxis": {
                "title": {"text": gettext("Participants who agreed (%)")},
                "range": [-5, 105],
                "ticksuffix": "%",
                "gridcolor": GRID,
            },
            "xaxis": {"type": "category", "gridcolor": GRID},
        },
    }
