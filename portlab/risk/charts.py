"""Small server-side SVG charts for the risk board (pure, no Django, no JavaScript).

Labels are escaped here; the markup is safe to insert into a page as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#0b5cab", "#1f7a3f", "#a86200", "#b42318", "#6941c6", "#5b6b7a")


def bar_chart(bars: Sequence[tuple[str, float, str]], *, width: int = 420,
              title: str = "") -> str:
    """Horizontal bars, one row per (label, value, text), the text printed after the bar."""
    row, label_width, value_width = 34, 210, 110
    height = row * max(1, len(bars)) + 8
    top = max((value for _label, value, _text in bars), default=0) or 1
    span = width - label_width - value_width
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}">']
    for index, (label, value, text) in enumerate(bars):
        y = 4 + index * row
        length = span * value / top
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 21}" text-anchor="end" font-size="14" '
            f'fill="#1c2733">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row - 10}" '
            f'rx="3" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 21}" font-size="14" '
            f'fill="#5b6b7a">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(x_labels: Sequence[str], series: dict[str, Sequence[float | None]], *,
               width: int = 560, height: int = 220, title: str = "") -> str:
    """Lines over versions (x), y from 0 to 1; None leaves a gap; a legend underneath."""
    left, right, top, bottom = 40, 70, 12, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(x_labels))
    step = plot_w / max(1, count - 1)

    def x(i: int) -> float:
        return left + (i * step if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, v)))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}">']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#d8e0e8"/><text x="{left - 6}" '
                     f'y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#5b6b7a">{tick:g}</text>')
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                     f'font-size="11" fill="#5b6b7a">{escape(label)}</text>')
    for n, (name, values) in enumerate(series.items()):
        parts.append(_series(n, values, x, y))
        legend_x = left + n * 190
        parts.append(f'<rect x="{legend_x}" y="{height - 20}" width="12" height="12" '
                     f'fill="{PALETTE[n % len(PALETTE)]}"/><text x="{legend_x + 17}" '
                     f'y="{height - 10}" font-size="12" fill="#1c2733">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _series(n: int, values: Sequence[float | None], x, y) -> str:
    color = PALETTE[n % len(PALETTE)]
    points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    dots = "".join(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{color}"/>'
                   for px, py in points)
    line = (f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            if len(points) > 1 else "")
    return line + dots

