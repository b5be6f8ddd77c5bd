"""Decision rules for statements of conformity, after ILAC G8:09/2019.

A measured value with expanded uncertainty U (coverage about 95 %) is compared with a
specification: an upper tolerance limit, a lower one, or both (a range). The rules:

``simple``      Binary statement for simple acceptance (ILAC G8 4.2.1): guard band w = 0; the
                value passes when it is inside the tolerance interval.
``guarded``     Binary statement with guard band (ILAC G8 4.2.2), guarded acceptance: the
                acceptance limits are moved inside the tolerance interval by w (default w = U);
                the value passes when it is inside the acceptance interval, otherwise fails.
``non-binary``  Non-binary statement with guard band (ILAC G8 4.2.3): pass inside the
                acceptance interval (tolerance limits moved inwards by w), conditional pass
                between an acceptance limit and its tolerance limit, conditional fail between a
                tolerance limit and the rejection limit (moved outwards by w), fail beyond.

Boundaries: every interval is closed. A value exactly on a tolerance limit conforms under simple
acceptance (specifications are written "<= limit" / ">= limit"), a value exactly on an acceptance
limit passes, and a value exactly on a rejection limit (limit + w) is a conditional fail, because
its expanded-uncertainty interval still touches the tolerance limit.

Results below the limit of detection (LOD), reported as "not detected" with value ``None``:
against an upper limit the result conforms when LOD <= limit, whatever the rule, because the
true value is below the LOD. When LOD > upper limit, or against a lower limit with LOD above it,
no statement is possible and the decision is ``inconclusive``; below a lower limit
(LOD <= lower limit) the result fails.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from numbers import Real


class DecisionInputError(ValueError):
    """The inputs of a conformity decision are incomplete or inconsistent."""


class Decision(StrEnum):
    PASS = "pass"
    CONDITIONAL_PASS = "conditional pass"
    CONDITIONAL_FAIL = "conditional fail"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class Rule(StrEnum):
    SIMPLE = "simple"
    GUARDED = "guarded"
    NON_BINARY = "non-binary"


RULE_NAMES = {
    Rule.SIMPLE: "Binary statement for simple acceptance rule (w = 0)",
    Rule.GUARDED: "Binary statement with guard band (guarded acceptance)",
    Rule.NON_BINARY: "Non-binary statement with guard band",
}


@dataclass(frozen=True)
class Judgement:
    decision: Decision
    rule: Rule
    rule_name: str
    guard_band: float
    acceptance_low: float | None
    acceptance_high: float | None


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise DecisionInputError(f"{name} must be a number, got {value!r}")
    as_float = float(value)
    if not math.isfinite(as_float):
        raise DecisionInputError(f"{name} must be a finite number, got {value!r}")
    return as_float


def _optional(value: float | None, name: str) -> float | None:
    return None if value is None else _finite(value, name)


def _guard_band(rule: Rule, expanded_u: float | None, guard_band: float | None) -> float:
    if rule is Rule.SIMPLE:
        if guard_band not in (None, 0):
            raise DecisionInputError("simple acceptance uses no guard band (w = 0)")
        return 0.0
    width = expanded_u if guard_band is None else guard_band
    if width is None:
        raise DecisionInputError(f"rule {rule.value!r} needs U or an explicit guard band")
    width = _finite(width, "guard band")
    if width < 0:
        raise DecisionInputError(f"guard band must not be negative, got {width!r}")
    return width


def _inside(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _shift(limit: float | None, by: float) -> float | None:
    return None if limit is None else limit + by


def _decide(value: float, low: float | None, high: float | None, rule: Rule, w: float) -> Decision:
    accepted = _inside(value, _shift(low, w), _shift(high, -w))
    if rule is not Rule.NON_BINARY:
        return Decision.PASS if accepted else Decision.FAIL
    if accepted:
        return Decision.PASS
    if _inside(value, low, high):
        return Decision.CONDITIONAL_PASS
    if _inside(value, _shift(low, -w), _shift(high, w)):
        return Decision.CONDITIONAL_FAIL
    return Decision.FAIL


def _decide_not_detected(lod: float, low: float | None, high: float | None) -> Decision:
    if low is not None:
        return Decision.FAIL if lod <= low else Decision.INCONCLUSIVE
    return Decision.PASS if high is not None and lod <= high else Decision.INCONCLUSIVE


def _check_limits(low: float | None, high: float | None, w: float, rule: Rule) -> None:
    if low is None and high is None:
        raise DecisionInputError("at least one of limit_low and limit_high is needed")
    if low is not None and high is not None:
        if low > high:
            raise DecisionInputError(f"limit_low {low!r} is above limit_high {high!r}")
        if rule is not Rule.SIMPLE and low + w > high - w:
            raise DecisionInputError(f"guard band {w!r} leaves no acceptance interval")


def _rule(rule: Rule | str) -> Rule:
    try:
        return Rule(rule)
    except ValueError as error:
        raise DecisionInputError(f"unknown decision rule {rule!r}") from error


def judge(
    value: float | None,
    U: float | None,  # the ILAC G8 / GUM symbol for the expanded uncertainty
    limit_low: float | None,
    limit_high: float | None,
    rule: Rule | str,
    guard_band: float | None = None,
    *,
    not_detected: bool = False,
    lod: float | None = None,
) -> Judgement:
    """Statement of conformity of ``value`` (expanded uncertainty ``U``) to the limits."""
    rule = _rule(rule)
    low, high = _optional(limit_low, "limit_low"), _optional(limit_high, "limit_high")
    expanded_u = _optional(U, "U")
    if expanded_u is not None and expanded_u < 0:
        raise DecisionInputError(f"U must not be negative, got {expanded_u!r}")
    if not_detected and expanded_u is None and guard_band is None:
        w = 0.0  # a not-detected result has no U; its decision uses only the LOD
    else:
        w = _guard_band(rule, expanded_u, guard_band)
    _check_limits(low, high, w, rule)
    if not_detected:
        decision = _decide_not_detected(_not_detected_lod(value, lod), low, high)
    elif value is None:
        raise DecisionInputError("value is missing; flag not_detected=True for results < LOD")
    else:
        decision = _decide(_finite(value, "value"), low, high, rule, w)
    return Judgement(decision, rule, RULE_NAMES[rule], w, _shift(low, w), _shift(high, -w))


def _not_detected_lod(value: float | None, lod: float | None) -> float:
    if value is not None:
        raise DecisionInputError("a not-detected result carries no value; pass lod instead")
    if lod is None:
        raise DecisionInputError("a not-detected result needs its limit of detection (lod)")
    return _finite(lod, "lod")
