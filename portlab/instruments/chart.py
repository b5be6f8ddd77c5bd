"""A horizontal bar chart as inline SVG, drawn on the server (pure, no Django)."""

from __future__ import annotations

import math
from html import escape

ROW = 26
LABEL_WIDTH = 190
BAR_WIDTH = 420
VALUE_WIDTH = 80


def nice_maximum(value: float) -> float:
    """The axis end: the smallest of 1, 2, 4, 5, 8 × 10^n at or above `value` (at least 1),
    so the four gridlines fall on round numbers."""
    scale = 10 ** math.floor(math.log10(max(value, 1.0)))
    for step in (1, 2, 4, 5, 8, 10):
        if step * scale >= value:
            return float(step * scale)
    return float(10 * scale)


def bar_chart_svg(bars: list[tuple[str, float]], *, maximum: float, unit: str,
                  title: str) -> str:
    """One bar per (label, value), scaled to `maximum`; the title is the accessible name."""
    height = ROW * max(len(bars), 1) + 28
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="{escape(title)}" class="bar-chart">',
             f"<title>{escape(title)}</title>"]
    for tick in range(0, 5):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 4
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 22}" '
                     'stroke="#d8e0e8" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" font-size="11" fill="#5b6b7a" '
                     f'text-anchor="middle">{maximum * tick / 4:g}</text>')
    for index, (label, value) in enumerate(bars):
        y = index * ROW + 4
        length = 0.0 if maximum <= 0 else BAR_WIDTH * min(value, maximum) / maximum
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" font-size="12" fill="#1c2733" '
                     f'text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" height="16" '
                     'rx="2" fill="#0b5cab"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 14}" font-size="12" '
                     f'fill="#1c2733">{value:.1f} {escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
