"""Charts for the PT round report: results histogram with kernel density, and z scores.

Matplotlib (Agg) to SVG with text drawn as paths, so the PDF needs no font for the charts.
No Django import: labels arrive translated.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from portlab.core.charts import BAD, BRAND, INK, OK, WARN  # noqa: E402 - the pages' colours

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # matplotlib >= 3.9; only read by mypy

STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"],
    "font.size": 8, "svg.fonttype": "path", "axes.spines.top": False,
    "axes.spines.right": False, "axes.unicode_minus": False}


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def kernel_density(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Gaussian kernel density with Silverman's bandwidth (robust spread)."""
    spread = min(values.std(ddof=1), np.subtract(*np.percentile(values, [75, 25])) / 1.349)
    if not spread > 0:
        spread = values.std(ddof=1) or 1.0
    bandwidth = 0.9 * spread * values.size ** (-0.2)
    scaled = (grid[:, None] - values[None, :]) / bandwidth
    return np.exp(-0.5 * scaled**2).sum(axis=1) / (values.size * bandwidth * np.sqrt(2 * np.pi))


def results_histogram(values: Sequence[float], x_pt: float, sigma_pt: float, *,
                      x_label: str, y_label: str, assigned_label: str) -> str:
    data = np.asarray(values, dtype=float)
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(6.2, 2.6))
        axis.hist(data, bins="auto", density=True, color=BRAND, alpha=0.35, edgecolor=BRAND)
        low = min(data.min(), x_pt - 3.5 * sigma_pt)
        high = max(data.max(), x_pt + 3.5 * sigma_pt)
        grid = np.linspace(low, high, 300)
        axis.plot(grid, kernel_density(data, grid), color=BRAND, linewidth=1.4)
        axis.axvline(x_pt, color=INK, linewidth=1.2, label=assigned_label)
        for k, colour in ((2, WARN), (3, BAD)):
            for sign in (-1, 1):
                axis.axvline(x_pt + sign * k * sigma_pt, color=colour, linestyle="--",
                             linewidth=0.9)
        axis.set_xlabel(x_label)
        axis.set_ylabel(y_label)
        axis.legend(frameon=False, loc="upper right")
        return _svg(figure)


def z_score_bars(codes: Sequence[str], z_scores: Sequence[float], *, y_label: str) -> str:
    order = np.argsort(z_scores)
    z = np.asarray(z_scores, dtype=float)[order]
    labels = [codes[i] for i in order]
    colours = [OK if abs(v) <= 2 else (WARN if abs(v) < 3 else BAD) for v in z]
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(6.2, 2.4))
        axis.bar(range(len(z)), np.clip(z, -5, 5), color=colours)
        for level, colour in ((2, WARN), (3, BAD)):
            axis.axhline(level, color=colour, linestyle="--", linewidth=0.8)
            axis.axhline(-level, color=colour, linestyle="--", linewidth=0.8)
        axis.axhline(0, color=INK, linewidth=0.6)
        axis.set_xticks(range(len(z)), labels, rotation=90 if len(z) > 20 else 0, fontsize=7)
        axis.set_ylim(-5.2, 5.2)
        axis.set_ylabel(y_label)
        return _svg(figure)
