"""Small server-side SVG charts (no JavaScript): bars with drill-down links, Levey-Jennings.

Pure Python with no Django import: labels arrive already translated, links already built.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK, MUTED, LINE, BRAND = "#1c2733", "#5b6b7a", "#d8e0e8", "#0b5cab"
OK, WARN, BAD = "#1f7a3f", "#a86200", "#b42318"
STATUS_COLOURS = {"accept": OK, "warning": WARN, "reject": BAD}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str = ""
    colour: str = BRAND
    note: str = ""


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: float
    status: str = "accept"
    note: str = ""


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}" class="chart" '
            f'font-size="11" font-family="inherit">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _link(href: str, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def nice_ceiling(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _format(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def column_chart(bars: Sequence[Bar], title: str, *, width: int = 520, height: int = 190,
                 x_label: str = "") -> str:
    """Vertical bars with their value on top and the label below; each bar may be a link."""
    left, right, top, bottom = 34, 8, 14, 34 if x_label else 22
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_ceiling(max((b.value for b in bars), default=0))
    body = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="{LINE}"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                    f'fill="{MUTED}">{_format(top_value * fraction)}</text>')
    slot = plot_w / max(len(bars), 1)
    for index, bar in enumerate(bars):
        bar_h = plot_h * bar.value / top_value
        x, y = left + index * slot + slot * 0.12, top + plot_h - bar_h
        tip = escape(bar.note or f"{bar.label}: {_format(bar.value)}")
        rect = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.76:.1f}" height="{bar_h:.1f}" '
                f'fill="{bar.colour}" rx="2"><title>{tip}</title></rect>')
        if bar.value:
            rect += (f'<text x="{x + slot * 0.38:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                     f'fill="{INK}">{_format(bar.value)}</text>')
        body.append(_link(bar.href, rect))
        body.append(f'<text x="{x + slot * 0.38:.1f}" y="{top + plot_h + 13}" '
                    f'text-anchor="middle" fill="{MUTED}">{escape(bar.label)}</text>')
    if x_label:
        body.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 3}" text-anchor="middle" '
                    f'fill="{MUTED}">{escape(x_label)}</text>')
    return _svg(width, height, body, title)


def row_chart(bars: Sequence[Bar], title: str, *, width: int = 520, row: int = 22,
              label_width: int = 150) -> str:
    """Horizontal bars, one row per label (e.g. workload by status), each row a link."""
    height = max(len(bars), 1) * row + 6
    top_value = nice_ceiling(max((b.value for b in bars), default=0))
    plot_w = width - label_width - 56
    body = []
    for index, bar in enumerate(bars):
        y = 3 + index * row
        bar_w = plot_w * bar.value / top_value
        tip = escape(bar.note or f"{bar.label}: {_format(bar.value)}")
        inner = (f'<text x="{label_width - 6}" y="{y + row * 0.68:.1f}" text-anchor="end" '
                 f'fill="{INK}">{escape(bar.label)}</text>'
                 f'<rect x="{label_width}" y="{y + 3}" width="{max(bar_w, 1):.1f}" '
                 f'height="{row - 8}" fill="{bar.colour}" rx="2"><title>{tip}</title></rect>'
                 f'<text x="{label_width + bar_w + 5:.1f}" y="{y + row * 0.68:.1f}" '
                 f'fill="{INK}">{_format(bar.value)}</text>')
        body.append(_link(bar.href, inner))
    return _svg(width, height, body, title)


def _lj_axes(body: list[str], left: int, right_x: int, y_of, unit: str) -> None:
    for k, colour, dash in ((3, BAD, ""), (2, WARN, "4 3"), (1, LINE, "2 3"), (0, MUTED, "")):
        for sign in ((1, -1) if k else (1,)):
            y = y_of(sign * k)
            label = "x̄" if k == 0 else f"{'+' if sign > 0 else '−'}{k}s"
            body.append(f'<line x1="{left}" x2="{right_x}" y1="{y:.1f}" y2="{y:.1f}" '
                        f'stroke="{colour}" stroke-dasharray="{dash}"/>'
                        f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                        f'fill="{MUTED}">{label}</text>')
    if unit:
        body.append(f'<text x="4" y="10" fill="{MUTED}">{escape(unit)}</text>')


def levey_jennings(points: Sequence[ChartPoint], mean: float, sd: float, title: str, *,
                   unit: str = "", width: int = 760, height: int = 260) -> str:
    """Control values in run order against mean ± 1, 2, 3 sd; rejected points in red."""
    if sd <= 0:
        raise ValueError(f"sd must be greater than 0, got {sd!r}")
    left, right, top, bottom = 40, 12, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    zs = [(p.value - mean) / sd for p in points]
    span = max(4.0, math.ceil(max((abs(z) for z in zs), default=0) + 0.5))

    def y_of(z: float) -> float:
        return top + plot_h / 2 - z / span * plot_h / 2

    body: list[str] = []
    _lj_axes(body, left, width - right, y_of, unit)
    step = plot_w / max(len(points), 1)
    xy = [(left + step * (i + 0.5), y_of(z)) for i, z in enumerate(zs)]
    if len(xy) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BRAND}" '
                    f'stroke-width="1.2"/>')
    every = max(1, math.ceil(len(points) / 12))
    for index, ((x, y), point) in enumerate(zip(xy, points, strict=True)):
        colour = STATUS_COLOURS.get(point.status, BRAND)
        tip = escape(point.note or f"{point.label}: {point.value:g}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.6" fill="{colour}" '
                    f'stroke="#fff"><title>{tip}</title></circle>')
        if index % every == 0:
            body.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" '
                        f'fill="{MUTED}">{escape(point.label)}</text>')
    return _svg(width, height, body, title)
