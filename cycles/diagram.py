"""The logic-model diagram as a self-contained SVG (server-rendered: it prints, downloads and needs
no script). Columns by kind, left to right; assumptions and external factors in a band below;
arrows between boxes; a linked outcome shows its latest value, trend direction and target.

Pure: it takes plain rows and returns text, so it is tested without a database.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

COLUMNS = [
    ("inputs", _("Inputs and resources")),
    ("activities", _("Activities")),
    ("outputs", _("Outputs")),
    ("short", _("Short-term outcomes")),
    ("medium", _("Medium-term outcomes")),
    ("long", _("Long-term outcomes")),
]
BAND = [("assumptions", _("Assumptions")), ("external", _("External factors"))]
FILLS = {
    "inputs": "#e7f5ff",
    "activities": "#e6fcf5",
    "outputs": "#fff9db",
    "short": "#f3f0ff",
    "medium": "#f3f0ff",
    "long": "#f3f0ff",
}
ARROWS = {"up": _("↑ rising"), "down": _("↓ falling"), "steady": _("→ steady"), "": ""}

MARGIN = 16
BOX_W = 172
GAP = 40
HEADER = 34
LINE = 15
PAD = 8
CHARS = 24  # characters per line at 12px in a box this wide


@dataclass(frozen=True)
class Box:
    id: int
    kind: str
    text: str
    status: str = ""  # e.g. "Latest 54% ↑ rising · target 60%"


def _lines(text: str, width: int = CHARS) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def render(boxes: Sequence[Box], arrows: Sequence[tuple[int, int]], *, title: str, inline: bool = False) -> str:
    """`inline`: scale to the page (no fixed size); otherwise a standalone file with its size."""
    width = MARGIN * 2 + len(COLUMNS) * BOX_W + (len(COLUMNS) - 1) * GAP
    places: dict[int, tuple[float, float, float, float]] = {}  # id → x, y, w, h
    parts: list[str] = []
    column_bottom = HEADER + MARGIN
    for n, (kind, heading) in enumerate(COLUMNS):
        x = MARGIN + n * (BOX_W + GAP)
        parts.append(
            f'<text x="{x + BOX_W / 2}" y="{MARGIN + 12}" text-anchor="middle" class="h" font-weight="600">'
            f"{escape(str(heading))}</text>"
        )
        y = HEADER + MARGIN
        for box in (b for b in boxes if b.kind == kind):
            lines = _lines(box.text)
            extra = [w for part in box.status.split("\n") for w in _lines(part, CHARS + 2)] if box.status else []
            h = PAD * 2 + LINE * len(lines) + (LINE * len(extra) + 4 if extra else 0)
            places[box.id] = (x, y, BOX_W, h)
            parts.append(f'<g class="box" id="box-{box.id}"><title>{escape(box.text)}</title>')
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{h}" rx="6" fill="{FILLS[kind]}" '
                f'stroke="{"#5f3dc4" if box.status else "#868e96"}" stroke-width="{1.5 if box.status else 1}"/>'
            )
            for i, line in enumerate(lines):
                parts.append(f'<text x="{x + PAD}" y="{y + PAD + 11 + i * LINE}">{escape(line)}</text>')
            for i, line in enumerate(extra):
                ty = y + PAD + 15 + (len(lines) + i) * LINE
                parts.append(f'<text x="{x + PAD}" y="{ty}" font-size="11" fill="#5f3dc4">{escape(line)}</text>')
            parts.append("</g>")
            y += h + 14
        column_bottom = max(column_bottom, y)

    arrow_parts = []
    for source, target in arrows:
        if source not in places or target not in places:
            continue
        sx, sy, sw, sh = places[source]
        tx, ty, tw, th = places[target]
        if tx == sx:  # the same column: a loop out into the gap beside it, never across the boxes or off the page
            arrow_parts.append(_same_column(sx, sw, sy + sh / 2, ty + th / 2, last=sx + sw >= width - MARGIN - 1))
            continue
        x1, y1 = (sx + sw, sy + sh / 2) if tx > sx else (sx, sy + sh / 2)
        x2, y2 = (tx, ty + th / 2) if tx > sx else (tx + tw, ty + th / 2)
        bend = max(abs(x2 - x1) / 2, 30)
        c1, c2 = (x1 + bend, x2 - bend) if tx > sx else (x1 - bend, x2 + bend)
        arrow_parts.append(
            f'<path d="M{x1:.0f},{y1:.0f} C{c1:.0f},{y1:.0f} {c2:.0f},{y2:.0f} {x2 - (4 if tx > sx else -4):.0f},'
            f'{y2:.0f}" fill="none" stroke="#495057" stroke-width="1.4" marker-end="url(#arrowhead)"/>'
        )

    band_y = column_bottom + 10
    band_parts = []
    band_h = 0
    half = (width - MARGIN * 3) / 2
    for n, (kind, heading) in enumerate(BAND):
        x = MARGIN + n * (half + MARGIN)
        lines: list[str] = []
        for box in (b for b in boxes if b.kind == kind):
            wrapped = _lines(box.text, int(half / 6.6) - 4)
            lines += ["• " + wrapped[0]] + ["  " + w for w in wrapped[1:]]
        lines = lines or [gettext("(none yet)")]
        h = PAD * 2 + 20 + LINE * len(lines)
        band_h = max(band_h, h)
        band_parts.append(
            f'<rect x="{x}" y="{band_y}" width="{half}" height="{{H}}" rx="6" fill="#f8f9fa" stroke="#adb5bd"/>'
        )
        band_parts.append(
            f'<text x="{x + PAD}" y="{band_y + PAD + 12}" font-weight="600">{escape(str(heading))}</text>'
        )
        for i, line in enumerate(lines):
            band_parts.append(f'<text x="{x + PAD}" y="{band_y + PAD + 32 + i * LINE}">{escape(line)}</text>')
    band_parts = [p.replace("{H}", f"{band_h}") for p in band_parts]
    height = band_y + band_h + MARGIN
    heading = gettext("Logic model: %(title)s") % {"title": title}

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        + ('width="100%" ' if inline else f'width="{width}" height="{height:.0f}" ')
        + f'role="img" aria-label={quoteattr(heading)} '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="12" fill="#212529">'
        f"<title>{escape(heading)}</title>"
        '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#495057"/></marker></defs>'
        '<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(arrow_parts + parts + band_parts) + "</svg>"
    )


def _same_column(x: float, w: float, y1: float, y2: float, *, last: bool) -> str:
    """An arrow between two boxes of one column: out of one box's side and into the other's, bulging
    into the gap between columns (to the left for the last column, whose right side is the page edge).
    A cubic curve reaches 3/4 of its control points' offset: GAP * 0.8 keeps it inside the gap."""
    bulge = GAP * 0.8
    edge, sign = (x, -1) if last else (x + w, 1)
    c = edge + sign * bulge
    tip = edge + sign * 4  # the arrowhead ends on the box's edge
    return (
        f'<path d="M{edge:.0f},{y1:.0f} C{c:.0f},{y1:.0f} {c:.0f},{y2:.0f} {tip:.0f},{y2:.0f}" fill="none" '
        'stroke="#495057" stroke-width="1.4" marker-end="url(#arrowhead)" class="arrow-same-column"/>'
    )


def status_text(status) -> str:
    """The line a linked outcome shows: latest value, direction and target (or why not)."""
    if status is None:
        return ""
    target = (
        "\n" + gettext("target %(percent)s") % {"percent": f"{status.target:.0%}"} if status.target is not None else ""
    )
    if not status.visible:
        return gettext("Measure linked: not shared with you") + target
    if status.latest is None:
        return gettext("Measure linked: no data yet") + target
    arrow = ARROWS.get(status.direction, "")
    return (gettext("Latest %(percent)s") % {"percent": f"{status.latest:.0%}"} + f" {arrow}").rstrip() + target


def boxes_from(elements, statuses: Mapping[int, object]) -> list[Box]:
    return [Box(e.pk, e.kind, e.text, status_text(statuses.get(e.pk))) for e in elements]
