"""ILAC G8:09/2019 decision rules. Limits and guard bands are binary-exact numbers."""

import math

import pytest

from portlab.quality.decision import Decision, DecisionInputError, Judgement, Rule, judge


def decide(value: float, rule: str, low: float | None = None, high: float | None = 10.0) -> str:
    return judge(value, 0.5, low, high, rule).decision


@pytest.mark.parametrize(
    ("value", "decision"), [(9.0, "pass"), (10.0, "pass"), (10.000001, "fail"), (12.0, "fail")]
)
def test_simple_acceptance_upper_limit(value: float, decision: str) -> None:
    assert decide(value, "simple") == decision


@pytest.mark.parametrize(("value", "decision"), [(5.0, "pass"), (4.0, "pass"), (3.999999, "fail")])
def test_simple_acceptance_lower_limit(value: float, decision: str) -> None:
    assert decide(value, "simple", low=4.0, high=None) == decision


def test_simple_acceptance_reports_w_zero_and_the_tolerance_limit() -> None:
    judgement = judge(10.0, 0.5, None, 10.0, Rule.SIMPLE)

    assert judgement == Judgement(
        decision=Decision.PASS,
        rule=Rule.SIMPLE,
        rule_name="Binary statement for simple acceptance rule (w = 0)",
        guard_band=0.0,
        acceptance_low=None,
        acceptance_high=10.0,
    )


@pytest.mark.parametrize(
    ("value", "decision"), [(9.0, "pass"), (9.5, "pass"), (9.5000001, "fail"), (10.0, "fail")]
)
def test_guarded_acceptance_upper_limit_uses_w_equal_to_u(value: float, decision: str) -> None:
    assert decide(value, "guarded") == decision


def test_guarded_acceptance_reports_the_acceptance_limit() -> None:
    judgement = judge(9.0, 0.5, None, 10.0, "guarded")

    assert judgement.rule_name == "Binary statement with guard band (guarded acceptance)"
    assert (judgement.guard_band, judgement.acceptance_high) == (0.5, 9.5)


@pytest.mark.parametrize(("value", "decision"), [(4.5, "pass"), (4.25, "fail")])
def test_guarded_acceptance_lower_limit(value: float, decision: str) -> None:
    assert decide(value, "guarded", low=4.0, high=None) == decision


def test_explicit_guard_band_replaces_u() -> None:
    judgement = judge(9.25, 0.5, None, 10.0, "guarded", guard_band=0.75)

    assert (judgement.decision, judgement.acceptance_high) == (Decision.PASS, 9.25)


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        (9.0, Decision.PASS),
        (9.5, Decision.PASS),
        (9.75, Decision.CONDITIONAL_PASS),
        (10.0, Decision.CONDITIONAL_PASS),
        (10.25, Decision.CONDITIONAL_FAIL),
        (10.5, Decision.CONDITIONAL_FAIL),
        (10.75, Decision.FAIL),
    ],
)
def test_non_binary_upper_limit(value: float, decision: Decision) -> None:
    assert decide(value, "non-binary") is decision


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        (2.0, "pass"),
        (3.0, "pass"),
        (1.5, "conditional pass"),
        (1.0, "conditional pass"),
        (7.5, "conditional pass"),
        (8.0, "conditional pass"),
        (8.5, "conditional fail"),
        (0.25, "conditional fail"),
        (9.0, "conditional fail"),
        (9.25, "fail"),
        (-0.25, "fail"),
    ],
)
def test_non_binary_range_uses_both_limits(value: float, decision: str) -> None:
    judgement = judge(value, 1.0, 1.0, 8.0, "non-binary")

    assert judgement.decision == decision
    assert (judgement.acceptance_low, judgement.acceptance_high) == (2.0, 7.0)
    assert judgement.rule_name == "Non-binary statement with guard band"


@pytest.mark.parametrize(("value", "decision"), [(1.0, "pass"), (8.0, "pass"), (0.5, "fail")])
def test_simple_acceptance_range(value: float, decision: str) -> None:
    assert judge(value, 1.0, 1.0, 8.0, "simple").decision == decision


@pytest.mark.parametrize(
    ("lod", "decision"),
    [(0.05, Decision.PASS), (0.1, Decision.PASS), (0.2, Decision.INCONCLUSIVE)],
)
@pytest.mark.parametrize("rule", ["simple", "guarded", "non-binary"])
def test_not_detected_against_upper_limit_conforms_when_lod_is_at_most_the_limit(
    lod: float, decision: Decision, rule: str
) -> None:
    judgement = judge(None, None, None, 0.1, rule, not_detected=True, lod=lod)

    assert judgement.decision is decision


@pytest.mark.parametrize(("lod", "decision"), [(0.5, "fail"), (1.0, "fail"), (2.0, "inconclusive")])
def test_not_detected_against_lower_limit(lod: float, decision: str) -> None:
    assert judge(None, None, 1.0, 5.0, "simple", not_detected=True, lod=lod).decision == decision


def test_decisions_are_plain_strings() -> None:
    assert [decision.value for decision in Decision] == [
        "pass",
        "conditional pass",
        "conditional fail",
        "fail",
        "inconclusive",
    ]
    assert isinstance(Decision.CONDITIONAL_FAIL, str)


@pytest.mark.parametrize(
    ("arguments", "options", "message"),
    [
        ((9.0, 0.5, None, 10.0, "simple", 0.5), {}, "simple acceptance uses no guard band"),
        ((9.0, None, None, 10.0, "guarded"), {}, "rule 'guarded' needs U or an explicit guard"),
        ((9.0, -0.5, None, 10.0, "guarded"), {}, "U must not be negative, got -0.5"),
        ((9.0, 0.5, None, 10.0, "guarded", -1.0), {}, "guard band must not be negative"),
        ((9.0, 0.5, None, None, "simple"), {}, "at least one of limit_low and limit_high"),
        ((5.0, 0.5, 8.0, 2.0, "simple"), {}, "limit_low 8.0 is above limit_high 2.0"),
        ((5.0, 2.0, 2.0, 5.0, "guarded"), {}, "guard band 2.0 leaves no acceptance interval"),
        ((5.0, 0.5, None, 10.0, "strict"), {}, "unknown decision rule 'strict'"),
        ((None, 0.5, None, 10.0, "simple"), {}, "value is missing; flag not_detected=True"),
        ((math.nan, 0.5, None, 10.0, "simple"), {}, "value must be a finite number, got nan"),
        (("9", 0.5, None, 10.0, "simple"), {}, "value must be a number, got '9'"),
        ((9.0, 0.5, None, math.inf, "simple"), {}, "limit_high must be a finite number"),
        ((None, None, None, 10.0, "simple"), {"not_detected": True}, "a not-detected result needs"),
        ((1.0, None, None, 10.0, "simple"), {"not_detected": True, "lod": 0.1}, "a not-detected"),
    ],
)
def test_bad_input_raises_a_clear_error(
    arguments: tuple[object, ...], options: dict[str, object], message: str
) -> None:
    with pytest.raises(DecisionInputError) as raised:
        judge(*arguments, **options)  # type: ignore[arg-type]

    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)
