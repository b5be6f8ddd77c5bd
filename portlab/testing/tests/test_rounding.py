"""GB/T 8170-2008 rounding and comparison. Examples are the standard's own (§3.2, §3.3) where
it gives them; the pinned pairs 0.125 → 0.12 and 0.135 → 0.14 are the issue's."""

from decimal import Decimal

import pytest

from portlab.testing.rounding import (
    Comparison,
    ReportingRule,
    places_of,
    round_to_places,
    round_to_significant,
    value_for_comparison,
)


@pytest.mark.parametrize(("value", "places", "expected"), [
    ("0.125", 2, "0.12"),  # exactly half, kept digit 2 even: dropped
    ("0.135", 2, "0.14"),  # exactly half, kept digit 3 odd: carried
    ("2.675", 2, "2.68"),  # exactly half in decimal; Python's round(2.675, 2) gives 2.67
    ("12.1498", 1, "12.1"),  # §3.2.1: below half is dropped
    ("12.1498", 0, "12"),
    ("10.5002", 0, "11"),  # §3.2.3: half followed by a non-zero digit carries
    ("1.050", 1, "1.0"),  # §3.2.4: half, kept digit 0 even
    ("0.35", 1, "0.4"),  # §3.2.4: half, kept digit 3 odd
    ("2500", -3, "2E+3"),  # §3.2.4 (interval 1000): 2 × 10³
    ("3500", -3, "4E+3"),
    ("1268", -2, "1.3E+3"),  # §3.2.2: 13 × 10²
    ("-355", -1, "-3.6E+2"),  # §3.2.5: the absolute value is rounded, the sign put back
    ("-325", -1, "-3.2E+2"),
    ("-0.0365", 3, "-0.036"),
])
def test_rounding_to_an_interval(value: str, places: int, expected: str) -> None:
    assert round_to_places(value, places) == Decimal(expected)
    assert str(round_to_places(value, places)) == expected


@pytest.mark.parametrize(("value", "figures", "expected"), [
    ("12.35", 3, "12.4"), ("12.25", 3, "12.2"), ("0.0012345", 2, "0.0012"),
    ("1268", 2, "1.3E+3"), ("0", 2, "0.0"), ("-0.0365", 2, "-0.036"),
])
def test_rounding_to_significant_figures(value: str, figures: int, expected: str) -> None:
    assert str(round_to_significant(value, figures)) == expected


def test_floats_are_refused_because_their_digits_are_already_gone() -> None:
    # 2.675 is 2.67499999999999982236431605997495353221893310546875 as a binary float, so
    # rounding the float drops the half that GB/T 8170 carries. Only the written decimal is
    # rounded.
    with pytest.raises(TypeError):
        round_to_places(2.675, 2)  # type: ignore[arg-type]  # the point of the test


def test_reporting_rule_rounds_one_way() -> None:
    assert ReportingRule(places=2).apply("0.125") == Decimal("0.12")
    assert ReportingRule(significant_figures=2).apply("0.0456") == Decimal("0.046")
    assert ReportingRule().apply("0.04150") == Decimal("0.04150")
    with pytest.raises(ValueError):
        ReportingRule(places=2, significant_figures=2)


def test_limit_digits_as_written() -> None:
    assert (places_of("0.2"), places_of("0.050"), places_of("15")) == (1, 3, 0)


def test_a_value_that_passes_by_one_method_and_fails_by_the_other() -> None:
    # Limit "≤ 0.2" (one decimal). 0.24 rounds to 0.2, which does not exceed it (§4.3.3);
    # the full value 0.24 exceeds it (§4.3.2).
    rounded = value_for_comparison("0.24", ["0.2"], Comparison.ROUNDED_VALUE)
    full = value_for_comparison("0.24", ["0.2"], Comparison.FULL_VALUE)
    assert (rounded, rounded <= Decimal("0.2")) == (Decimal("0.2"), True)
    assert (full, full <= Decimal("0.2")) == (Decimal("0.24"), False)
    # 0.25 is exactly half: rounds to 0.2 (kept digit even), so it still conforms.
    assert value_for_comparison("0.25", ["0.2"], Comparison.ROUNDED_VALUE) == Decimal("0.2")
    assert value_for_comparison("0.26", ["0.2"], Comparison.ROUNDED_VALUE) == Decimal("0.3")
