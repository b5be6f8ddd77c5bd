"""Server-side SVG charts (no JavaScript), one module for every page: bars in columns or rows
with drill-down links, Levey-Jennings control charts, lines over versions.

Pure Python with no Django import: labels arrive already translated, links already built; every
label is escaped here, so the markup is safe to insert into a page as it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

INK, MUTED, LINE, BRAND = "#1c2733", "#5b6b7a", "#d8e0e8", "#0b5cab"
OK, WARN, BAD = "#1f7a3f", "#a86200", "#b42318"
STATUS_COLOURS = {"accept": OK, "warning": WARN, "reject": BAD}
# Colours of successive series or categories.
PALETTE = (BRAND, OK, WARN, BAD, "#6941c6", MUTED)
ROUND_STEPS = (1, 2, 2.5, 5)
QUARTER_STEPS = (1, 2, 4, 5, 8)  # axis ends whose quarters are round numbers


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str = ""
    colour: str = BRAND
    note: str = ""  # the tooltip; by default "label: value"
    text: str = ""  # printed after a row's bar; by default the value


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: float
    status: str = "accept"
    note: str = ""


def _svg(width: int, height: int, body: list[str], title: str, font_size: int = 11) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}" class="chart" '
            f'font-size="{font_size}" font-family="inherit">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _link(href: str, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def nice_ceiling(value: float, steps: Sequence[float] = ROUND_STEPS) -> float:
    """A round axis maximum at or above `value` (a step × 10^k; 1 for nothing to show)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (*steps, 10):
        if value <= step * power:
            return float(step * power)
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


def _row_axis(ticks: int, maximum: float, left: int, plot_w: float, bottom_y: float) -> list[str]:
    """Vertical gridlines at each 1/ticks of the axis, their values underneath."""
    body = []
    for tick in range(ticks + 1):
        x = left + plot_w * tick / ticks
        body.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{bottom_y:.1f}" '
                    f'stroke="{LINE}"/><text x="{x:.1f}" y="{bottom_y + 16:.1f}" '
                    f'text-anchor="middle" fill="{MUTED}">{maximum * tick / ticks:g}</text>')
    return body


def row_chart(bars: Sequence[Bar], title: str, *, width: int = 520, row: int = 22,
              label_width: int = 150, text_width: int = 56, font_size: int = 11,
              maximum: float | None = None, ticks: int = 0) -> str:
    """Horizontal bars, one row per label, each row a link when it has one; the value (or the
    bar's text) after the bar. The axis ends at `maximum` (default: a round number above the
    largest value); `ticks` > 0 draws that many gridline intervals with their values."""
    top_value = maximum if maximum is not None else nice_ceiling(
        max((b.value for b in bars), default=0))
    plot_w = width - label_width - text_width
    rows_h = max(len(bars), 1) * row + 6
    body = _row_axis(ticks, top_value, label_width, plot_w, rows_h) if ticks else []
    for index, bar in enumerate(bars):
        y, baseline = 3 + index * row, 3 + index * row + row * 0.68
        bar_w = 0.0 if top_value <= 0 else plot_w * min(bar.value, top_value) / top_value
        tip = escape(bar.note or f"{bar.label}: {_format(bar.value)}")
        inner = (f'<text x="{label_width - 6}" y="{baseline:.1f}" text-anchor="end" '
                 f'fill="{INK}">{escape(bar.label)}</text>'
                 f'<rect x="{label_width}" y="{y + 3}" width="{max(bar_w, 1):.1f}" '
                 f'height="{row - 8}" fill="{bar.colour}" rx="2"><title>{tip}</title></rect>'
                 f'<text x="{label_width + bar_w + 5:.1f}" y="{baseline:.1f}" '
                 f'fill="{INK}">{escape(bar.text or _format(bar.value))}</text>')
        body.append(_link(bar.href, inner))
    return _svg(width, rows_h + (24 if ticks else 0), body, title, font_size)


def _lj_axes(body: list[str], left: int, right_x: int, y_of: Callable[[float], float],
             unit: str) -> None:
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


def line_chart(x_labels: Sequence[str], series: dict[str, Sequence[float | None]], title: str,
               *, width: int = 560, height: int = 220) -> str:
    """Lines over versions (x), y from 0 to 1; None leaves a gap; a legend underneath."""
    left, right, top, bottom = 40, 70, 12, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(1, len(x_labels))
    step = plot_w / max(1, count - 1)

    def x(i: int) -> float:
        return left + (i * step if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, v)))

    body = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                    f'y2="{y(tick):.1f}" stroke="{LINE}"/><text x="{left - 6}" '
                    f'y="{y(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}">{tick:g}</text>')
    for i, label in enumerate(x_labels):
        body.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                    f'fill="{MUTED}">{escape(label)}</text>')
    for n, (name, values) in enumerate(series.items()):
        body.append(_series(PALETTE[n % len(PALETTE)], values, x, y))
        legend_x = left + n * 190
        body.append(f'<rect x="{legend_x}" y="{height - 20}" width="12" height="12" '
                    f'fill="{PALETTE[n % len(PALETTE)]}"/><text x="{legend_x + 17}" '
                    f'y="{height - 10}" font-size="12" fill="{INK}">{escape(name)}</text>')
    return _svg(width, height, body, title)


def _series(colour: str, values: Sequence[float | None], x: Callable[[int], float],
            y: Callable[[float], float]) -> str:
    points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    dots = "".join(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>'
                   for px, py in points)
    line = (f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            if len(points) > 1 else "")
    return line + dots
