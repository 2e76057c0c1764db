"""Stacked bar charts as inline SVG, so that a report shows them with no script, library or network.

Labels come from articles (province names, sources), so every text and attribute goes through
markupsafe's escaping: a chart cannot carry markup. Each bar carries data-category, data-series
and data-value, and a <title> that browsers show on hover.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 960  # viewBox width; the SVG scales to its container
_BAR = Markup('<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" '
              'data-category="{}" data-series="{}" data-value="{}"><title>{} · {}: {:,}</title></rect>')
_TEXT = Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}" class="{}">{}</text>')
_GRID = Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" class="grid"/>')


@dataclass(frozen=True, slots=True)
class Series:
    """One layer of the stacks: a name (event type), its colour and its value per category."""

    name: str
    colour: str
    values: list[int]


def ticks(top: float, n: int = 5) -> list[int]:
    """Whole-number axis ticks from 0, a round step apart, the last one reaching `top`."""
    if top <= 0:
        return [0, 1]
    raw = top / n
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _svg(height: float, label: str, parts: list[Markup]) -> Markup:
    head = Markup('<svg class="chart" viewBox="0 0 {} {:.0f}" role="img" aria-label="{}">').format(
        WIDTH, height, label)
    return head + Markup("").join(parts) + Markup("</svg>")


def _totals(categories: list[str], series: list[Series]) -> list[int]:
    return [sum(s.values[k] for s in series) for k in range(len(categories))]


def columns(categories: list[str], series: list[Series], label: str, height: int = 300) -> Markup:
    """Vertical stacked bars over ordered categories (periods); category labels thinned to fit."""
    left, right, top, bottom = 44, 8, 12, 28
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    axis = ticks(max(_totals(categories, series), default=0))
    scale = plot_h / axis[-1]
    base = top + plot_h
    parts = []
    for t in axis:
        y = base - t * scale
        parts += [_GRID.format(left, y, WIDTH - right, y), _TEXT.format(left - 6, y + 4, "end", "tick", f"{t:,}")]
    slot = plot_w / max(1, len(categories))
    width = max(1.0, slot * 0.8)
    every = math.ceil(len(categories) / max(1, plot_w // 64))  # labels at least 64 units apart
    for k, category in enumerate(categories):
        x, y = left + k * slot + (slot - width) / 2, base
        for s in series:
            if s.values[k]:
                h = s.values[k] * scale
                y -= h
                parts.append(_BAR.format(x, y, width, h, s.colour, category, s.name, s.values[k], category, s.name,
                                         s.values[k]))
        if k % every == 0:
            parts.append(_TEXT.format(x + width / 2, base + 18, "middle", "tick", category))
    return _svg(height, label, parts)


def bars(categories: list[str], series: list[Series], label: str) -> Markup:
    """Horizontal stacked bars, one row per category (province), with the total at the end."""
    left, right, top, bottom, row = 170, 56, 4, 24, 22
    plot_w = WIDTH - left - right
    totals = _totals(categories, series)
    axis = ticks(max(totals, default=0))
    scale = plot_w / axis[-1]
    base = top + len(categories) * row
    parts = []
    for t in axis:
        x = left + t * scale
        parts += [_GRID.format(x, top, x, base), _TEXT.format(x, base + 16, "middle", "tick", f"{t:,}")]
    for k, (category, total) in enumerate(zip(categories, totals, strict=True)):
        y, x = top + k * row, left
        parts.append(_TEXT.format(left - 8, y + row / 2 + 4, "end", "label", category))
        for s in series:
            if s.values[k]:
                w = s.values[k] * scale
                parts.append(_BAR.format(x, y + 3, w, row - 6, s.colour, category, s.name, s.values[k], category,
                                         s.name, s.values[k]))
                x += w
        parts.append(_TEXT.format(x + 6, y + row / 2 + 4, "start", "total", f"{total:,}"))
    return _svg(base + bottom, label, parts)
