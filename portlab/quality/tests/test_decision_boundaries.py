"""ILAC G8:09/2019 decision rules at the edges of their inputs, pinned for mutation testing.

ILAC G8 4.2.2 lets the guard band w be any non-negative width (w = 0 is simple acceptance), and
every interval here is closed, so an interval reduced to one point still accepts that point.
"""

import pytest

from portlab.quality.decision import Decision, DecisionInputError, Rule, judge


def test_simple_acceptance_accepts_an_explicit_zero_guard_band() -> None:
    judgement = judge(10.0, 0.5, None, 10.0, Rule.SIMPLE, guard_band=0)

    assert (judgement.decision, judgement.guard_band) == (Decision.PASS, 0.0)


def test_simple_acceptance_refuses_a_guard_band_of_1() -> None:
    with pytest.raises(DecisionInputError) as raised:
        judge(10.0, 0.5, None, 10.0, Rule.SIMPLE, guard_band=1)

    assert str(raised.value) == "simple acceptance uses no guard band (w = 0)"


def test_guarded_acceptance_with_zero_guard_band_is_simple_acceptance() -> None:
    judgement = judge(10.0, 0.5, None, 10.0, Rule.GUARDED, guard_band=0.0)

    assert (judgement.decision, judgement.guard_band, judgement.acceptance_high) == (
        Decision.PASS, 0.0, 10.0,
    )


def test_zero_expanded_uncertainty_gives_a_zero_guard_band() -> None:
    judgement = judge(10.0, 0.0, None, 10.0, Rule.GUARDED)

    assert (judgement.decision, judgement.guard_band) == (Decision.PASS, 0.0)


def test_a_range_of_a_single_value_accepts_that_value() -> None:
    assert judge(5.0, 0.5, 5.0, 5.0, Rule.SIMPLE).decision == Decision.PASS


def test_a_guard_band_leaving_a_single_acceptable_value_accepts_it() -> None:
    judgement = judge(1.0, 1.0, 0.0, 2.0, Rule.GUARDED)

    assert (judgement.decision, judgement.acceptance_low, judgement.acceptance_high) == (
        Decision.PASS, 1.0, 1.0,
    )


def test_not_detected_without_uncertainty_uses_no_guard_band() -> None:
    judgement = judge(None, None, None, 10.0, Rule.GUARDED, not_detected=True, lod=1.0)

    assert (judgement.decision, judgement.guard_band, judgement.acceptance_high) == (
        Decision.PASS, 0.0, 10.0,
    )


@pytest.mark.parametrize(("arguments", "message"), [
    ({"limit_low": "x"}, "limit_low must be a number, got 'x'"),
    ({"U": "x"}, "U must be a number, got 'x'"),
    ({"guard_band": "x"}, "guard band must be a number, got 'x'"),
])
def test_a_non_numeric_input_is_named_in_the_error(arguments, message) -> None:
    inputs = {"value": 5.0, "U": 0.5, "limit_low": None, "limit_high": 10.0,
              "rule": Rule.GUARDED} | arguments

    with pytest.raises(DecisionInputError) as raised:
        judge(**inputs)

    assert str(raised.value) == message


def test_a_non_numeric_lod_is_named_in_the_error() -> None:
    with pytest.raises(DecisionInputError) as raised:
        judge(None, None, None, 10.0, Rule.SIMPLE, not_detected=True, lod="x")

    assert str(raised.value) == "lod must be a number, got 'x'"
