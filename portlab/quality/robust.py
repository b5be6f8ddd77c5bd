"""Robust statistics for proficiency testing, after ISO 13528:2022.

Robust estimates of the participants' mean x* and standard deviation s*:

* Algorithm A (Annex C.3): start with x* = median, s* = 1.483 * median|x_i - x*|; then repeat
  delta = 1.5 s*, clip every result to [x* - delta, x* + delta], x* = mean of the clipped results,
  s* = 1.134 * standard deviation (p - 1) of the clipped results. The default stop is a numerical
  fixed point: neither x* nor s* changes by more than 1e-9 relative (x* relative to
  max(|x*|, s*) so that a mean near zero still converges). ``stop="three_sig_figs"`` applies the
  standard's own criterion instead: stop when the third significant figure of s*, and the
  digit in the same decimal place of x*, no longer change.
* Q/Hampel (Annex C.5): s* by the Q method (C.5.2) from all pairwise differences, and x* by the
  Hampel M-estimator (C.5.3) with psi nodes 1.5, 3 and 4.5 s*, solved exactly: the sum of psi is
  piecewise linear in x, so its zeros are found by linear interpolation between the nodes
  x_i +- {1.5, 3, 4.5} s*; the zero nearest the median is x* (the median if there is none). This
  module handles one result per participant (the Q method's replicate form is not used).

The assigned value and the performance scores (z, z', zeta, En) are in
:mod:`portlab.quality.scores`.

Bad input raises :class:`PTInputError` (a ``ValueError``) naming the offending result; no
function here returns NaN or infinity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
StopRule = Literal["relative", "three_sig_figs"]
Method = Literal["algorithm-a", "q-hampel"]

MAD_FACTOR = 1.483
ALGORITHM_A_SD_FACTOR = 1.134
ALGORITHM_A_CLIP = 1.5
HAMPEL_NODES = (1.5, 3.0, 4.5)


class PTInputError(ValueError):
    """Proficiency-test data that cannot be evaluated; ``index`` is the 0-based participant."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class ConvergenceError(PTInputError):
    """Algorithm A did not reach its stop criterion."""


@dataclass(frozen=True)
class RobustEstimate:
    mean: float
    sd: float
    method: str
    iterations: int = 0



def checked_number(value: object, label: str, index: int | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise PTInputError(f"{label} is not a number: {value!r}", index)
    as_float = float(value)
    if not math.isfinite(as_float):
        raise PTInputError(f"{label} is not a finite number: {value!r}", index)
    return as_float


def as_results(values: Sequence[float] | FloatArray, name: str = "result") -> FloatArray:
    """Validated float array; the error names the first bad entry (1-based)."""
    if not isinstance(values, np.ndarray) or values.dtype.kind not in "fiu":
        # element by element, so that strings, None and booleans are not silently converted
        checked = [checked_number(v, f"{name} {i + 1}", i) for i, v in enumerate(values)]
        return np.array(checked, dtype=np.float64)
    if values.ndim != 1:
        raise PTInputError(f"{name}s must be a flat sequence of numbers")
    array = values.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        first = int(bad[0])
        text = f"{name} {first + 1} is not a finite number: {float(array[first])!r}"
        raise PTInputError(text, first)
    return array


def _require_participants(results: FloatArray) -> None:
    if results.size < 2:
        raise PTInputError(f"at least 2 participant results are needed, got {results.size}")
    if np.all(results == results[0]):
        raise PTInputError("all results are equal: the robust standard deviation would be 0")


def _algorithm_a_converged(
    stop: StopRule, old: tuple[float, float], new: tuple[float, float], tolerance: float
) -> bool:
    (old_mean, old_sd), (new_mean, new_sd) = old, new
    if stop == "three_sig_figs":
        exponent = math.floor(math.log10(new_sd)) - 2
        scale = 10.0**exponent
        same_sd = round(old_sd / scale) == round(new_sd / scale)
        return same_sd and round(old_mean / scale) == round(new_mean / scale)
    mean_scale = max(abs(new_mean), new_sd)
    return (
        abs(new_mean - old_mean) <= tolerance * mean_scale
        and abs(new_sd - old_sd) <= tolerance * new_sd
    )


def algorithm_a_start(results: FloatArray) -> tuple[float, float]:
    """Initial x* = median and s* = 1.483 * median absolute deviation (C.3.1)."""
    mean = float(np.median(results))
    sd = MAD_FACTOR * float(np.median(np.abs(results - mean)))
    if sd == 0:
        raise PTInputError(
            "more than half of the results are equal: the median absolute deviation is 0, "
            "so Algorithm A cannot start (s* = 0)"
        )
    return mean, sd


def algorithm_a_step(results: FloatArray, mean: float, sd: float) -> tuple[float, float]:
    """One update of Algorithm A: clip at x* +- 1.5 s*, then mean and 1.134 * SD."""
    delta = ALGORITHM_A_CLIP * sd
    clipped = np.clip(results, mean - delta, mean + delta)
    new_sd = ALGORITHM_A_SD_FACTOR * float(clipped.std(ddof=1))
    if new_sd == 0:
        raise PTInputError("Algorithm A reached a robust standard deviation of 0")
    return float(clipped.mean()), new_sd


def algorithm_a(
    values: Sequence[float] | FloatArray,
    *,
    stop: StopRule = "relative",
    tolerance: float = 1e-9,
    max_iterations: int = 1000,
) -> RobustEstimate:
    """Robust mean and standard deviation by ISO 13528:2022 Algorithm A (Annex C.3)."""
    if stop not in ("relative", "three_sig_figs"):
        raise PTInputError(f"unknown stop rule {stop!r}; use 'relative' or 'three_sig_figs'")
    results = as_results(values)
    _require_participants(results)
    mean, sd = algorithm_a_start(results)
    for iteration in range(1, max_iterations + 1):
        new_mean, new_sd = algorithm_a_step(results, mean, sd)
        done = _algorithm_a_converged(stop, (mean, sd), (new_mean, new_sd), tolerance)
        mean, sd = new_mean, new_sd
        if done:
            return RobustEstimate(mean, sd, "algorithm-a", iteration)
    raise ConvergenceError(f"Algorithm A did not converge in {max_iterations} iterations")


def _pairwise_differences(results: FloatArray) -> FloatArray:
    ordered = np.sort(results)
    return np.concatenate([ordered[k:] - ordered[:-k] for k in range(1, ordered.size)])


def _g1_inverse(differences: FloatArray, target: float) -> float:
    """x where G1(x) = target, from the sorted pairwise differences (C.5.2.2).

    H1(x) is the share of differences <= x. At the distinct differences x_1 < x_2 < ...,
    G1(x_s) = (H1(x_s) + H1(x_{s-1})) / 2 with H1(x_0) = 0, and G1 is linear in between (from
    G1(0) = 0). As H1(x_{s-1}) <= G1(x_s) <= H1(x_s), the crossing lies between the distinct
    differences just before and just after the first x_m with H1(x_m) >= target, so only a few
    nodes around that quantile are needed.
    """
    count = differences.size
    index = min(max(math.ceil(target * count) - 1, 0), count - 1)
    nodes = [float(differences[index])]
    for _ in range(2):
        below = int(np.searchsorted(differences, nodes[0], side="left"))
        if below == 0:
            break
        nodes.insert(0, float(differences[below - 1]))
    above = int(np.searchsorted(differences, nodes[-1], side="right"))
    if above < count:
        nodes.append(float(differences[above]))
    cumulative = np.searchsorted(differences, nodes, side="right") / count
    before_first = np.searchsorted(differences, nodes[0], side="left") / count
    g_values = 0.5 * (cumulative + np.concatenate([[before_first], cumulative[:-1]]))
    if before_first == 0 and nodes[0] > 0:
        nodes, g_values = [0.0, *nodes], np.concatenate([[0.0], g_values])
    return float(np.interp(target, g_values, nodes))


def q_method_sd(values: Sequence[float] | FloatArray) -> float:
    """Robust standard deviation by the Q method (ISO 13528:2022 C.5.2), one result each."""
    results = as_results(values)
    _require_participants(results)
    differences = np.sort(_pairwise_differences(results))
    share_of_zero = float(np.searchsorted(differences, 0.0, side="right")) / differences.size
    target = 0.25 + 0.75 * share_of_zero
    quantile = NormalDist().inv_cdf(0.625 + 0.375 * share_of_zero)
    sd = _g1_inverse(differences, target) / (math.sqrt(2.0) * quantile)
    if not sd > 0:
        raise PTInputError("too many equal results: the Q-method standard deviation is 0")
    return sd


def _psi_sum_at_nodes(results: FloatArray, sd: float) -> tuple[FloatArray, FloatArray]:
    """Nodes and the exact sum of Hampel psi((x_i - x) / sd) at each node, in O(p log p)."""
    a, b, c = HAMPEL_NODES
    plateau = a / ((c - b) * sd)
    offsets = np.array([-c, -b, -a, a, b, c]) * sd
    slope_changes = np.array([plateau, -plateau, -1.0 / sd, 1.0 / sd, plateau, -plateau])
    nodes = (results[:, None] + offsets[None, :]).ravel()
    changes = np.broadcast_to(slope_changes, (results.size, 6)).ravel()
    order = np.argsort(nodes, kind="stable")
    nodes, slopes = nodes[order], np.cumsum(changes[order])
    sums = np.concatenate([[0.0], np.cumsum(slopes[:-1] * np.diff(nodes))])
    return nodes, sums


def _zeros(nodes: FloatArray, sums: FloatArray, tolerance: float) -> FloatArray:
    at_node = nodes[np.abs(sums) <= tolerance]
    left, right = sums[:-1], sums[1:]
    crossing = np.flatnonzero(
        (np.abs(left) > tolerance) & (np.abs(right) > tolerance) & (np.sign(left) != np.sign(right))
    )
    fraction = left[crossing] / (left[crossing] - right[crossing])
    between = nodes[crossing] + fraction * (nodes[crossing + 1] - nodes[crossing])
    return np.concatenate([at_node, between])


def hampel_mean(values: Sequence[float] | FloatArray, sd: float) -> float:
    """Robust mean by the Hampel M-estimator (ISO 13528:2022 C.5.3) for a fixed s*."""
    results = as_results(values)
    sd = checked_number(sd, "robust standard deviation")
    if sd <= 0:
        raise PTInputError(f"robust standard deviation must be greater than 0, got {sd!r}")
    nodes, sums = _psi_sum_at_nodes(results, sd)
    zeros = _zeros(nodes, sums, tolerance=1e-9 * HAMPEL_NODES[0] * results.size)
    median = float(np.median(results))
    if zeros.size == 0:
        return median
    return float(zeros[np.argmin(np.abs(zeros - median))])


def q_hampel(values: Sequence[float] | FloatArray) -> RobustEstimate:
    """Robust mean and standard deviation by the Q/Hampel method (ISO 13528:2022 C.5)."""
    results = as_results(values)
    sd = q_method_sd(results)
    return RobustEstimate(hampel_mean(results, sd), sd, "q-hampel")


def robust_estimate(values: Sequence[float] | FloatArray, method: Method) -> RobustEstimate:
    if method == "algorithm-a":
        return algorithm_a(values)
    if method == "q-hampel":
        return q_hampel(values)
    raise PTInputError(f"unknown method {method!r}; use 'algorithm-a' or 'q-hampel'")

