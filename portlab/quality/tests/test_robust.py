"""ISO 13528:2022 robust statistics and performance scores.

Reference data: the creosote cell means of the ISO 5725-5:1998 precision-experiment example, as
published in the example of ``algA`` in the R package metRology (S. L. R. Ellison, LGC):
``cm <- c(24.140, 20.155, 19.500, 20.300, 20.705, 17.570, 20.100, 20.940, 21.185)``.
metRology's documentation says its iteration 4 "corresponds very closely to the ISO 5725 answer"
but prints no numbers, and no published converged x*/s* for a data set (ISO 13528 Annex C
example, AMC Technical Brief 6) could be retrieved for this work. So the robust estimators are
checked three ways: hand-computed first steps, independent slow implementations written from the
published algorithm text in this file, and the published metRology ``algA`` R source
(which uses R's MAD constant 1.4826 and gamma = 1.1334 instead of 1.483 and 1.134, so it agrees
to three significant figures, the standard's own convergence criterion).
"""

import math
import statistics
from collections.abc import Callable
from statistics import NormalDist

import numpy as np
import pytest

from portlab.quality import robust, scores
from portlab.quality.robust import PTInputError
from portlab.quality.scores import Evaluation

CREOSOTE = [24.140, 20.155, 19.500, 20.300, 20.705, 17.570, 20.100, 20.940, 21.185]


def reference_algorithm_a(values: list[float], iterations: int) -> tuple[float, float]:
    """ISO 13528:2022 C.3.1 step by step, with the standard library only."""
    mean = statistics.median(values)
    sd = 1.483 * statistics.median([abs(value - mean) for value in values])
    for _ in range(iterations):
        delta = 1.5 * sd
        clipped = [min(max(value, mean - delta), mean + delta) for value in values]
        mean, sd = statistics.fmean(clipped), 1.134 * statistics.stdev(clipped)
    return mean, sd


def metrology_alg_a(values: list[float]) -> tuple[float, float]:
    """Transcription of metRology's algA (R/algAS.r): k = 1.5, tol = eps^0.25 on s."""
    k, tolerance = 1.5, np.finfo(float).eps ** 0.25
    normal = NormalDist()
    theta = 2 * normal.cdf(k) - 1
    gamma = 1 / math.sqrt(theta + (1 - theta) * k**2 - 2 * k * normal.pdf(k))
    mu = statistics.median(values)
    s = 1.4826 * statistics.median([abs(value - mu) for value in values])
    change = s
    for _ in range(25):
        if change <= tolerance * s:
            break
        previous = s
        clipped = [min(max(mu - k * s, value), mu + k * s) for value in values]
        mu = statistics.fmean(clipped)
        s = gamma * statistics.stdev(clipped)
        change = abs(previous - s)
    return mu, s


def reference_q_method(values: list[float]) -> float:
    """ISO 13528:2022 C.5.2 for one result per participant, by direct counting."""
    p = len(values)
    differences = [abs(values[j] - values[i]) for i in range(p) for j in range(i + 1, p)]

    def h1(x: float) -> float:
        return 2 * sum(1 for d in differences if d <= x) / (p * (p - 1))

    points = sorted(set(differences))
    g_points = [0.5 * (h1(x) + (h1(points[i - 1]) if i else 0.0)) for i, x in enumerate(points)]
    if points[0] > 0:
        points, g_points = [0.0, *points], [0.0, *g_points]
    target = 0.25 + 0.75 * h1(0.0)
    for i in range(1, len(points)):
        if g_points[i - 1] <= target <= g_points[i]:
            share = (target - g_points[i - 1]) / (g_points[i] - g_points[i - 1])
            inverse = points[i - 1] + share * (points[i] - points[i - 1])
            break
    return inverse / (math.sqrt(2) * NormalDist().inv_cdf(0.625 + 0.375 * h1(0.0)))


def hampel_psi(q: float) -> float:
    """ISO 13528:2022 C.5.3 psi function with nodes 1.5, 3 and 4.5."""
    if abs(q) <= 1.5:
        return q
    if abs(q) <= 3:
        return math.copysign(1.5, q)
    if abs(q) <= 4.5:
        return math.copysign(4.5 - abs(q), q)
    return 0.0


def reference_hampel(values: list[float], sd: float) -> float:
    """Bisection on the sum of psi, bracketed around the median by a fine scan."""

    def total(x: float) -> float:
        return sum(hampel_psi((value - x) / sd) for value in values)

    median = statistics.median(values)
    grid = [median + sd * step / 1000 for step in range(-3000, 3001)]
    brackets = [(a, b) for a, b in zip(grid, grid[1:], strict=False) if total(a) * total(b) <= 0]
    low, high = min(brackets, key=lambda pair: abs(pair[0] - median))
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if total(low) * total(middle) > 0 else (low, middle)
    return (low + high) / 2


def test_algorithm_a_starts_from_median_and_scaled_mad() -> None:
    # by hand: median 20.300; |x - median| sorted 0, .145, .2, .405, .64, .8, .885, 2.73, 3.84
    # so s* = 1.483 * 0.64 = 0.94912
    mean, sd = robust.algorithm_a_start(np.array(CREOSOTE))

    assert mean == 20.3
    assert sd == pytest.approx(0.94912, abs=1e-12)
    assert (mean, sd) == pytest.approx(reference_algorithm_a(CREOSOTE, iterations=0), abs=1e-12)


def test_algorithm_a_first_update_by_hand() -> None:
    # delta = 1.5 * 0.94912 = 1.42368 clips 24.140 to 21.72368 and 17.570 to 18.87632;
    # x* = (21.72368 + 18.87632 + 142.885) / 9, s* = 1.134 * SD of the clipped values
    clipped = [21.72368, 18.87632, 20.155, 19.5, 20.3, 20.705, 20.1, 20.94, 21.185]

    mean, sd = robust.algorithm_a_step(np.array(CREOSOTE), 20.3, 0.94912)

    assert mean == pytest.approx(183.485 / 9, abs=1e-12)
    assert sd == pytest.approx(1.134 * statistics.stdev(clipped), abs=1e-12)
    assert (mean, sd) == pytest.approx(reference_algorithm_a(CREOSOTE, iterations=1), abs=1e-12)


def test_algorithm_a_matches_independent_implementation_at_convergence() -> None:
    estimate = robust.algorithm_a(CREOSOTE)
    mean, sd = reference_algorithm_a(CREOSOTE, iterations=estimate.iterations)

    assert estimate.mean == pytest.approx(mean, rel=1e-12)
    assert estimate.sd == pytest.approx(sd, rel=1e-12)
    assert estimate.iterations == 55
    assert round(estimate.mean, 4) == 20.4121
    assert round(estimate.sd, 4) == 1.0698


def test_algorithm_a_agrees_with_metrology_alg_a_to_three_significant_figures() -> None:
    estimate = robust.algorithm_a(CREOSOTE)
    mu, s = metrology_alg_a(CREOSOTE)

    assert f"{estimate.mean:.4g}" == f"{mu:.4g}" == "20.41"
    assert abs(estimate.sd - s) / s < 0.005


def test_algorithm_a_three_significant_figures_stop() -> None:
    # iterations 5 and 6 give s* 1.0475 and 1.0537 (both 1.05) and x* 20.41208 and 20.41213
    # (both 20.41 at the same decimal place), so the standard's criterion stops after step 6
    estimate = robust.algorithm_a(CREOSOTE, stop="three_sig_figs")
    mean, sd = reference_algorithm_a(CREOSOTE, iterations=6)

    assert estimate.iterations == 6
    assert (estimate.mean, estimate.sd) == pytest.approx((mean, sd), rel=1e-12)
    assert (f"{estimate.mean:.2f}", f"{estimate.sd:.3g}") == ("20.41", "1.05")


def test_algorithm_a_on_data_without_outliers_is_close_to_mean_and_sd() -> None:
    values = np.random.default_rng(13528).normal(50.0, 2.0, 5000)

    estimate = robust.algorithm_a(values)

    assert estimate.mean == pytest.approx(values.mean(), abs=0.01)
    assert estimate.sd == pytest.approx(values.std(ddof=1), rel=0.02)


def test_algorithm_a_resists_outliers() -> None:
    clean = robust.algorithm_a(CREOSOTE[1:])
    far = robust.algorithm_a([*CREOSOTE[1:], 1000.0])
    farther = robust.algorithm_a([*CREOSOTE[1:], 1_000_000.0])

    assert (far.mean, far.sd) == pytest.approx((farther.mean, farther.sd), rel=1e-12)
    assert abs(far.mean - clean.mean) < clean.sd


def test_q_method_matches_direct_counting() -> None:
    assert robust.q_method_sd(CREOSOTE) == pytest.approx(reference_q_method(CREOSOTE), rel=1e-12)


def test_q_method_with_tied_results_matches_direct_counting() -> None:
    values = [10.0, 10.0, 10.0, 10.2, 10.4, 9.8, 9.6, 10.0, 11.5]

    assert robust.q_method_sd(values) == pytest.approx(reference_q_method(values), rel=1e-12)


def test_q_method_matches_direct_counting_on_random_data_with_ties() -> None:
    rng = np.random.default_rng(528)
    for trial in range(60):
        size = int(rng.integers(2, 30))
        if trial % 2:
            values = [float(v) for v in rng.integers(0, 4, size)]  # many tied results
        else:
            values = [round(float(v), 1) for v in rng.normal(10.0, 1.0, size)]
        if len(set(values)) < 2:
            continue

        expected = reference_q_method(values)

        assert robust.q_method_sd(values) == pytest.approx(expected, rel=1e-12), values


def test_q_method_for_two_results_follows_from_the_definition() -> None:
    # one difference d: G1 rises from 0 at 0 to 1/2 at d, so G1^-1(1/4) = d/2
    expected = 0.5 / (math.sqrt(2) * NormalDist().inv_cdf(0.625))

    assert robust.q_method_sd([3.0, 4.0]) == pytest.approx(expected, rel=1e-12)


def test_q_method_is_consistent_for_normal_data() -> None:
    values = np.random.default_rng(5).normal(0.0, 1.0, 2000)

    assert robust.q_method_sd(values) == pytest.approx(1.0, abs=0.05)


def test_hampel_mean_matches_bisection_on_the_psi_sum() -> None:
    sd = robust.q_method_sd(CREOSOTE)

    expected = reference_hampel(CREOSOTE, sd)

    assert robust.hampel_mean(CREOSOTE, sd) == pytest.approx(expected, abs=1e-9)


def test_hampel_mean_of_symmetric_data_is_the_centre() -> None:
    assert robust.hampel_mean([1.0, 2.0, 3.0, 4.0, 5.0], 1.0) == 3.0


def test_hampel_mean_ignores_results_beyond_4_5_sd() -> None:
    with_outlier = robust.hampel_mean([*CREOSOTE, 60.0], 1.0)

    assert with_outlier == pytest.approx(robust.hampel_mean([*CREOSOTE, 6000.0], 1.0), abs=1e-12)


@pytest.mark.parametrize(
    "estimator", [robust.algorithm_a, robust.q_hampel], ids=["algorithm-a", "q-hampel"]
)
def test_estimates_follow_a_change_of_units(
    estimator: Callable[[list[float]], robust.RobustEstimate],
) -> None:
    original = estimator(CREOSOTE)
    scaled = estimator([1000.0 + 2.0 * value for value in CREOSOTE])

    assert scaled.mean == pytest.approx(1000.0 + 2.0 * original.mean, rel=1e-9)
    assert scaled.sd == pytest.approx(2.0 * original.sd, rel=1e-9)


def test_q_hampel_on_creosote() -> None:
    estimate = robust.q_hampel(CREOSOTE)

    assert estimate.sd == pytest.approx(reference_q_method(CREOSOTE), rel=1e-12)
    assert estimate.mean == pytest.approx(reference_hampel(CREOSOTE, estimate.sd), abs=1e-9)
    assert estimate.method == "q-hampel"


def test_consensus_uncertainty_is_1_25_s_over_root_p() -> None:
    assert scores.consensus_uncertainty(2.0, 16) == 0.625


def test_scores_by_hand() -> None:
    (score,) = scores.score_results(
        [11.0],
        assigned_value=10.0,
        assigned_value_uncertainty=0.375,
        sigma_pt=0.5,
        standard_uncertainties=[0.5],
        expanded_uncertainties=[1.0],
    )

    assert score.z == 2.0
    assert score.z_evaluation is Evaluation.SATISFACTORY
    assert score.z_prime == 1.0 / 0.625  # sqrt(0.5^2 + 0.375^2) = 0.625
    assert score.zeta == 1.0 / 0.625
    assert score.zeta_evaluation is Evaluation.SATISFACTORY
    assert score.en == 1.0 / 1.25  # sqrt(1^2 + (2 * 0.375)^2) = 1.25
    assert score.en_evaluation is Evaluation.SATISFACTORY


def test_scores_without_participant_uncertainty_have_no_zeta_or_en() -> None:
    (score,) = scores.score_results(
        [13.0], assigned_value=10.0, assigned_value_uncertainty=0.0, sigma_pt=1.0
    )

    assert (score.z, score.z_evaluation) == (3.0, Evaluation.UNSATISFACTORY)
    assert (score.zeta, score.zeta_evaluation, score.en, score.en_evaluation) == (None,) * 4


@pytest.mark.parametrize(
    ("score", "evaluation"),
    [
        (2.0, Evaluation.SATISFACTORY),
        (-2.0, Evaluation.SATISFACTORY),
        (2.0000001, Evaluation.QUESTIONABLE),
        (-2.9999999, Evaluation.QUESTIONABLE),
        (3.0, Evaluation.UNSATISFACTORY),
        (-3.0, Evaluation.UNSATISFACTORY),
    ],
)
def test_z_evaluation_boundaries(score: float, evaluation: Evaluation) -> None:
    assert scores.evaluate_score(score) is evaluation


@pytest.mark.parametrize(
    ("score", "evaluation"),
    [
        (1.0, Evaluation.SATISFACTORY),
        (-1.0, Evaluation.SATISFACTORY),
        (1.0000001, "unsatisfactory"),
    ],
)
def test_en_evaluation_boundaries(score: float, evaluation: Evaluation) -> None:
    assert scores.evaluate_en(score) == evaluation


def test_round_with_consensus_assigned_value() -> None:
    evaluation = scores.evaluate_round(CREOSOTE)
    estimate = robust.algorithm_a(CREOSOTE)

    assert evaluation.assigned_value == estimate.mean
    assert evaluation.sigma_pt == estimate.sd
    assert evaluation.assigned_value_uncertainty == 1.25 * estimate.sd / 3.0
    assert evaluation.uncertainty_negligible is False  # 1.25/3 = 0.42 > 0.3
    assert [score.z_evaluation for score in evaluation.scores].count(Evaluation.SATISFACTORY) == 7


def test_round_with_provided_assigned_value_and_sigma_pt() -> None:
    evaluation = scores.evaluate_round(
        CREOSOTE, method="q-hampel", sigma_pt=2.0, assigned=20.0, assigned_u=0.6
    )

    assert (evaluation.assigned_value, evaluation.assigned_value_uncertainty) == (20.0, 0.6)
    assert evaluation.uncertainty_negligible is True  # 0.6 == 0.3 * 2.0 is negligible
    assert evaluation.scores[0].z == pytest.approx((24.140 - 20.0) / 2.0, rel=1e-15)
    assert evaluation.method == "q-hampel"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1.0], "at least 2 participant results are needed, got 1"),
        ([], "at least 2 participant results are needed, got 0"),
        ([1.0, "2.0"], "result 2 is not a number: '2.0'"),
        ([1.0, None, 3.0], "result 2 is not a number: None"),
        ([1.0, True], "result 2 is not a number: True"),
        ([1.0, 2.0, math.nan], "result 3 is not a finite number: nan"),
        ([5.0, 5.0, 5.0], "all results are equal: the robust standard deviation would be 0"),
    ],
)
@pytest.mark.parametrize("method", ["algorithm-a", "q-hampel"])
def test_bad_results_raise_clear_errors(values: list[object], message: str, method: str) -> None:
    with pytest.raises(PTInputError) as raised:
        scores.evaluate_round(values, method=method)  # type: ignore[arg-type]

    assert str(raised.value) == message


def test_algorithm_a_with_more_than_half_equal_results_is_an_error() -> None:
    with pytest.raises(PTInputError, match="median absolute deviation is 0"):
        robust.algorithm_a([5.0, 5.0, 5.0, 6.0, 7.0])


def test_q_method_still_has_a_scale_when_algorithm_a_cannot_start() -> None:
    values = [5.0, 5.0, 5.0, 6.0, 7.0]

    assert robust.q_method_sd(values) == pytest.approx(reference_q_method(values), rel=1e-12)
    assert robust.q_method_sd(values) > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sigma_pt": -1.0}, "sigma_pt must be greater than 0, got -1.0"),
        ({"sigma_pt": 0.0}, "sigma_pt must be greater than 0, got 0.0"),
        ({"sigma_pt": math.nan}, "sigma_pt is not a finite number: nan"),
        ({"assigned": 20.0}, "the assigned value needs its standard uncertainty (assigned_u)"),
        ({"assigned_u": 0.1}, "an uncertainty of the assigned value was given without a value"),
        ({"assigned": 20.0, "assigned_u": -0.1}, "uncertainty of the assigned value is negative"),
        ({"method": "mean"}, "unknown method 'mean'; use 'algorithm-a' or 'q-hampel'"),
        ({"standard_uncertainties": [0.1] * 8}, "9 results but 8 values of u"),
    ],
)
def test_bad_round_options_raise_clear_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(PTInputError) as raised:
        scores.evaluate_round(CREOSOTE, **options)  # type: ignore[arg-type]

    assert str(raised.value).startswith(message)


def test_negative_participant_uncertainty_names_the_participant() -> None:
    with pytest.raises(PTInputError) as raised:
        scores.evaluate_round(CREOSOTE, expanded_uncertainties=[None, 0.2, -0.2, *[None] * 6])

    assert str(raised.value) == "U of participant 3 is negative: -0.2"
    assert raised.value.index == 2


def test_zero_uncertainties_do_not_produce_nan() -> None:
    with pytest.raises(PTInputError, match="zeta of participant 2 divides by a zero uncertainty"):
        scores.score_results(
            [1.0, 2.0],
            assigned_value=1.5,
            assigned_value_uncertainty=0.0,
            sigma_pt=1.0,
            standard_uncertainties=[0.1, 0.0],
        )


def test_unknown_stop_rule_is_an_error() -> None:
    with pytest.raises(PTInputError, match="unknown stop rule 'two'"):
        robust.algorithm_a(CREOSOTE, stop="two")  # type: ignore[arg-type]
