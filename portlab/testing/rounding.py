"""Rounding of reported values and their comparison with limits, after GB/T 8170-2008
(数值修约规则与极限数值的表示和判定). Pure: decimal arithmetic only, never a binary float.

§3.2 rounds on the decimal value: a dropped part below half goes, above half carries, and
exactly half carries only when the kept last digit is odd (round half to even); §3.2.5 rounds a
negative value's absolute value and puts the sign back, which half-even already does. §3.1
sets the interval: to n decimals (10⁻ⁿ) or to n significant figures.

§4.3 compares a measured value with a limit either by the full value (全数值比较法, §4.3.2:
the value unrounded) or by the rounded value (修约值比较法, §4.3.3: the value rounded to the
limit's own digits first). §4.3.1: where the specification says nothing, the full value is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum


class Comparison(StrEnum):
    FULL_VALUE = "full_value"
    ROUNDED_VALUE = "rounded_value"


def as_decimal(value: Decimal | str | int) -> Decimal:
    """A decimal from its written form; a float is refused, it has already lost the digits."""
    if isinstance(value, float) or isinstance(value, bool):
        raise TypeError("GB/T 8170 rounds decimal values: pass a Decimal or its text")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def round_to_places(value: Decimal | str, places: int) -> Decimal:
    """Round to `places` decimals (negative: to tens, hundreds ...), half to even."""
    return as_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def round_to_significant(value: Decimal | str, figures: int) -> Decimal:
    """Round to `figures` significant figures, half to even."""
    if figures < 1:
        raise ValueError("at least one significant figure")
    number = as_decimal(value)
    if number.is_zero():
        return round_to_places(number, figures - 1)
    leading = number.adjusted()  # exponent of the first significant digit
    return round_to_places(number, figures - 1 - leading)


@dataclass(frozen=True)
class ReportingRule:
    """How a capability reports values: decimals or significant figures (or as measured)."""

    places: int | None = None
    significant_figures: int | None = None

    def __post_init__(self) -> None:
        if self.places is not None and self.significant_figures is not None:
            raise ValueError("give decimals or significant figures, not both")

    def apply(self, value: Decimal | str) -> Decimal:
        if self.places is not None:
            return round_to_places(value, self.places)
        if self.significant_figures is not None:
            return round_to_significant(value, self.significant_figures)
        return as_decimal(value)


def places_of(limit: Decimal | str) -> int:
    """The decimals a limit is written with: "0.2" → 1, "0.050" → 3, "15" → 0."""
    exponent = as_decimal(limit).as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


def value_for_comparison(value: Decimal | str, limits: list[Decimal | str],
                         comparison: Comparison) -> Decimal:
    """The value §4.3 compares with the limits: unrounded, or rounded to the limits' digits
    (the finest of them when two limits are written differently)."""
    number = as_decimal(value)
    if comparison == Comparison.FULL_VALUE or not limits:
        return number
    return round_to_places(number, max(places_of(limit) for limit in limits))
