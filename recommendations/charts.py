"""Plotly figures for the uptake dashboard, built as plain dicts from recommendations.uptake results (no database)."""

from __future__ import annotations

import textwrap

from django.utils.translation import gettext

from measures.charts import BLUE, GREY, LAYOUT, ORANGE

from .uptake import Distribution, FactorRow, Rate

COLOURS = {"complete": BLUE, "partial": "#74a9e0", "none": GREY}
IMPL_COLOURS = {"successful": "#2b8a3e", "partial": "#94d82d", "unsuccessful": ORANGE, "": GREY}


def _wrapped(labels: list[str], width: int = 34) -> tuple[list[str], int]:
    """Long category labels on several lines (plotly clips them otherwise), and the left margin
    they need: about 7 pixels a character at the charts' 13-pixel font."""
    lines = [textwrap.wrap(str(label), width) or [""] for label in labels]
    longest = max((len(line) for parts in lines for line in parts), default=10)
    return ["<br>".join(parts) for parts in lines], 24 + 7 * longest


def _count_of(count: int, n: int) -> str:
    return gettext("%(count)s of %(n)s") % {"count": count, "n": n}


def stacked_spec(groups: list[dict], which: str, *, title: str) -> dict:
    """One bar per group (year or area), stacked shares of `which` ("uptake" or "implementation")."""
    colours = COLOURS if which == "uptake" else IMPL_COLOURS
    labels, left = _wrapped([g["label"] for g in groups])
    dists: list[Distribution] = [g[which] for g in groups]
    data = []
    if dists:
        for i, share in enumerate(dists[0].shares):
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": share.label,
                    "y": labels,
                    "x": [d.shares[i].percent or 0 for d in dists],
                    "text": [_count_of(d.shares[i].count, d.n) for d in dists],
                    "textposition": "inside",
                    "hovertemplate": "%{y}: %{x}% (%{text})<extra>" + share.label + "</extra>",
                    "marker": {"color": colours.get(share.key, GREY)},
                }
            )
    return {
        "data": data,
        "layout": {
            **LAYOUT,
            "title": {"text": title},
            "barmode": "stack",
            "height": max(240, 60 + 52 * len(labels)),
            "margin": {"l": left, "r": 20, "t": 50, "b": 40},
            "xaxis": {"range": [0, 100], "ticksuffix": "%", "gridcolor": "#e9ecef"},
            "yaxis": {"autorange": "reversed"},
        },
    }


def factor_spec(rows: list[FactorRow], which: str, *, title: str) -> dict:
    """Grouped bars: the rate when the factor holds vs. when it does not, n in the label."""
    labels, left = _wrapped([r.label for r in rows])

    def trace(name, rates: list[Rate], colour):
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": [r.percent if r.percent is not None else 0 for r in rates],
            "text": [_count_of(r.count, r.n) if r.n else "n = 0" for r in rates],
            "textposition": "auto",
            "hovertemplate": "%{y}: %{x}% (%{text})<extra>" + name + "</extra>",
            "marker": {"color": colour},
        }

    yes = [getattr(r, f"{which}_yes") for r in rows]
    no = [getattr(r, f"{which}_no") for r in rows]
    return {
        "data": [trace(gettext("Factor holds"), yes, BLUE), trace(gettext("Factor does not hold"), no, GREY)],
        "layout": {
            **LAYOUT,
            "title": {"text": title},
            "barmode": "group",
            "height": 120 + 60 * len(labels),
            "margin": {"l": left, "r": 20, "t": 50, "b": 40},
            "xaxis": {"range": [0, 100], "ticksuffix": "%", "gridcolor": "#e9ecef"},
            "yaxis": {"autorange": "reversed"},
        },
    }
