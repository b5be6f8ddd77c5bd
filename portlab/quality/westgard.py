"""Westgard multirules over internal quality-control (QC) points.

Each point is one measurement of a control material (a *level*) in an analytical *run*, with the
target mean and standard deviation (sd) of that material. For every point we compute
``z = (value - mean) / sd`` and evaluate these rules (Westgard, Barry, Hunt, Groth, Clin. Chem.
1981; 27:493-501, and westgard.com "Westgard Rules"):

``1-2s``  one point beyond 2 sd: *warning* only.
``1-3s``  one point beyond 3 sd: reject.
``2-2s``  two consecutive points beyond 2 sd on the same side: reject. Checked across runs within
          one level (this point and the previous point of the same level) and within one run
          across levels (two levels of the same run).
``R-4s``  within one run, one level beyond +2 sd and another beyond -2 sd (range > 4 sd): reject.
``4-1s``  four consecutive points beyond 1 sd on the same side: reject. Checked within one level
          across runs (the last four points of the level) and across levels (the last four points
          of the whole ordered sequence).
``10-x``  ten consecutive points on the same side of the mean: reject. Checked within one level
          and across levels, like 4-1s.

Every rule is evaluated on every point; 1-2s is not used as a gate before the rejection rules,
so a 4-1s or 10-x shift is reported even when no single point exceeds 2 sd.

Which points carry a rule: a pattern that spans runs is reported on the point that completes it
(earlier runs were already judged); a pattern inside one run (2-2s across levels, R-4s) is
reported on every point of the run that takes part in it.

Boundary: a limit is violated only when it is *exceeded*, i.e. ``|z| > 2`` and ``|z| > 3``
strictly; a point with z exactly 2.0 or 3.0 does not violate 1-2s or 1-3s (likewise 1 sd for
4-1s, and z exactly 0 is on neither side for 10-x). Westgard defines each rule by an observation
that "exceeds" the control limit, and the limits drawn on a Levey-Jennings chart are themselves
inside the acceptable region; counting the line as a violation would also make results rounded
to the reporting precision flip status depending on rounding alone.

A run is rejected if any of its points is rejected, gets a warning if any point has a warning,
and is accepted otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from numbers import Real

WARNING_RULES = frozenset({"1-2s"})
RULE_ORDER = ("1-2s", "1-3s", "2-2s", "R-4s", "4-1s", "10-x")


class QCInputError(ValueError):
    """A QC point cannot be evaluated; ``index`` is the 0-based position of the point."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(f"QC point {index + 1}: {message}")
        self.index = index
        self.detail = message


class Status(StrEnum):
    ACCEPT = "accept"
    WARNING = "warning"
    REJECT = "reject"


@dataclass(frozen=True)
class QCPoint:
    run: str
    level: str
    value: float
    mean: float
    sd: float


@dataclass
class PointResult:
    run: str
    level: str
    value: float
    z: float
    rules: list[str] = field(default_factory=list)

    @property
    def status(self) -> Status:
        if any(rule not in WARNING_RULES for rule in self.rules):
            return Status.REJECT
        return Status.WARNING if self.rules else Status.ACCEPT


@dataclass(frozen=True)
class WestgardReport:
    points: list[PointResult]
    runs: dict[str, Status]


def _check_number(index: int, name: str, number: object) -> float:
    if isinstance(number, bool) or not isinstance(number, Real):
        raise QCInputError(index, f"{name} must be a number, got {number!r}")
    as_float = float(number)
    if not math.isfinite(as_float):
        raise QCInputError(index, f"{name} must be a finite number, got {number!r}")
    return as_float


def _z_score(index: int, point: QCPoint) -> float:
    value = _check_number(index, "value", point.value)
    mean = _check_number(index, "mean", point.mean)
    sd = _check_number(index, "sd", point.sd)
    if sd <= 0:
        raise QCInputError(index, f"sd must be greater than 0, got {point.sd!r}")
    return (value - mean) / sd


def _same_side(zs: Sequence[float], count: int, limit: float) -> bool:
    """True if the last ``count`` z values all exceed ``limit`` on the same side."""
    if len(zs) < count:
        return False
    window = zs[-count:]
    return all(z > limit for z in window) or all(z < -limit for z in window)


def _add(result: PointResult, rule: str) -> None:
    if rule not in result.rules:
        result.rules.append(rule)


def _single_point_rules(result: PointResult) -> None:
    if abs(result.z) > 2:
        _add(result, "1-2s")
    if abs(result.z) > 3:
        _add(result, "1-3s")


def _sequence_rules(result: PointResult, level_zs: list[float], all_zs: list[float]) -> None:
    """Rules over consecutive points, within the level and across levels."""
    if _same_side(level_zs, 2, 2.0):
        _add(result, "2-2s")
    if _same_side(level_zs, 4, 1.0) or _same_side(all_zs, 4, 1.0):
        _add(result, "4-1s")
    if _same_side(level_zs, 10, 0.0) or _same_side(all_zs, 10, 0.0):
        _add(result, "10-x")


def _flag_pairs(
    run_points: list[PointResult], rule: str, matches: Callable[[float, float], bool]
) -> None:
    for first_index, first in enumerate(run_points):
        for second in run_points[first_index + 1 :]:
            if first.level != second.level and matches(first.z, second.z):
                _add(first, rule)
                _add(second, rule)


def _both_beyond_2s(first: float, second: float) -> bool:
    return (first > 2 and second > 2) or (first < -2 and second < -2)


def _opposite_beyond_2s(first: float, second: float) -> bool:
    return (first > 2 and second < -2) or (first < -2 and second > 2)


def _within_run_rules(results: list[PointResult]) -> None:
    by_run: dict[str, list[PointResult]] = {}
    for result in results:
        by_run.setdefault(result.run, []).append(result)
    for run_points in by_run.values():
        _flag_pairs(run_points, "2-2s", _both_beyond_2s)
        _flag_pairs(run_points, "R-4s", _opposite_beyond_2s)


def _run_status(results: list[PointResult]) -> dict[str, Status]:
    runs: dict[str, Status] = {}
    rank = {Status.ACCEPT: 0, Status.WARNING: 1, Status.REJECT: 2}
    for result in results:
        current = runs.get(result.run, Status.ACCEPT)
        runs[result.run] = max(current, result.status, key=rank.__getitem__)
    return runs


def evaluate(points: Sequence[QCPoint]) -> WestgardReport:
    """Apply the Westgard multirules to QC points given in measurement order."""
    results: list[PointResult] = []
    level_history: dict[str, list[float]] = {}
    all_zs: list[float] = []
    for index, point in enumerate(points):
        z = _z_score(index, point)
        result = PointResult(str(point.run), str(point.level), float(point.value), z)
        level_zs = level_history.setdefault(result.level, [])
        level_zs.append(result.z)
        all_zs.append(result.z)
        _single_point_rules(result)
        _sequence_rules(result, level_zs, all_zs)
        results.append(result)
    _within_run_rules(results)
    for result in results:
        result.rules.sort(key=RULE_ORDER.index)
    return WestgardReport(points=results, runs=_run_status(results))
