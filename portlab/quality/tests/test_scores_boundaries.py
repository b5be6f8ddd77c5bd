"""ISO 13528:2022 performance scores (clause 9) at their edges, pinned for mutation testing."""

import math

import pytest

from portlab.quality import robust, scores
from portlab.quality.robust import PTInputError
from portlab.quality.scores import Evaluation
from portlab.quality.tests.test_robust import CREOSOTE


def test_en_uses_the_squares_of_both_expanded_uncertainties() -> None:
    """ISO 13528:2022 9.7: En = (x - x_pt) / sqrt(U(x)^2 + U(x_pt)^2), U(x_pt) = 2 u(x_pt)."""
    (score,) = scores.score_results(
        [11.0], assigned_value=10.0, assigned_value_uncertainty=0.2, sigma_pt=1.0,
        expanded_uncertainties=[0.5],
    )

    assert score.en == 1.0 / math.sqrt(0.5**2 + 0.4**2)
    assert score.en_evaluation is Evaluation.UNSATISFACTORY


def test_every_score_carries_its_result_and_evaluations() -> None:
    (score,) = scores.score_results(
        [12.5], assigned_value=10.0, assigned_value_uncertainty=0.0, sigma_pt=1.0
    )

    assert (score.result, score.z, score.z_evaluation, score.z_prime, score.z_prime_evaluation) == (
        12.5, 2.5, Evaluation.QUESTIONABLE, 2.5, Evaluation.QUESTIONABLE,
    )


def test_a_round_reports_its_participants_and_robust_estimate() -> None:
    evaluation = scores.evaluate_round(CREOSOTE)

    assert (evaluation.participants, evaluation.robust) == (9, robust.algorithm_a(CREOSOTE))


@pytest.mark.parametrize(("options", "message"), [
    ({"assigned": "x", "assigned_u": 0.1}, "assigned value is not a number: 'x'"),
    ({"assigned": 20.0, "assigned_u": "x"}, "assigned_u is not a number: 'x'"),
])
def test_a_bad_assigned_value_is_named(options, message) -> None:
    with pytest.raises(PTInputError) as raised:
        scores.evaluate_round(CREOSOTE, **options)

    assert str(raised.value) == message


@pytest.mark.parametrize(("options", "message"), [
    ({"assigned_value": "x"}, "assigned value is not a number: 'x'"),
    ({"assigned_value_uncertainty": "x"}, "uncertainty of the assigned value is not a number: 'x'"),
])
def test_score_results_name_a_bad_assigned_value(options, message) -> None:
    inputs = {"assigned_value": 10.0, "assigned_value_uncertainty": 0.1, "sigma_pt": 1.0} | options

    with pytest.raises(PTInputError) as raised:
        scores.score_results([11.0], **inputs)

    assert str(raised.value) == message


def test_a_bad_participant_uncertainty_names_the_participant() -> None:
    with pytest.raises(PTInputError) as raised:
        scores.score_results([11.0, 12.0], assigned_value=10.0, assigned_value_uncertainty=0.1,
                             sigma_pt=1.0, standard_uncertainties=[0.1, "x"])

    assert (str(raised.value), raised.value.index) == ("u of participant 2 is not a number: 'x'", 1)


def test_a_zero_en_denominator_names_the_score_and_the_participant() -> None:
    with pytest.raises(PTInputError) as raised:
        scores.score_results([11.0, 12.0], assigned_value=10.0, assigned_value_uncertainty=0.0,
                             sigma_pt=1.0, expanded_uncertainties=[0.5, 0.0])

    assert (str(raised.value), raised.value.index) == (
        "En of participant 2 divides by a zero uncertainty", 1,
    )
