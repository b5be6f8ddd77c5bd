"""ISO 13528:2022 robust statistics (Annex C) at their edges, pinned for mutation testing.

CREOSOTE is the data set of ISO 13528:2022 Annex C (creosote in an oil, 9 participants), as in
test_robust.py, whose step-by-step references are reused here.
"""

import math

import numpy as np
import pytest

from portlab.quality import robust
from portlab.quality.robust import ConvergenceError, PTInputError
from portlab.quality.tests.test_robust import (
    CREOSOTE,
    reference_algorithm_a,
    reference_hampel,
)


def third_figure_iterations(values: list[float]) -> int:
    """Iterations until the 3rd significant figure of s* (and that decimal place of x*) stays put,
    following ISO 13528:2022 C.3.1 with the standard library's round()."""
    old = reference_algorithm_a(values, 0)
    for iteration in range(1, 100):
        new = reference_algorithm_a(values, iteration)
        places = 2 - math.floor(math.log10(new[1]))
        if all(round(a, places) == round(b, places) for a, b in zip(old, new, strict=True)):
            return iteration
        old = new
    raise AssertionError("no convergence")


@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_three_significant_figures_stop_after_the_standards_iteration_count(scale) -> None:
    """In mg/kg and in ug/kg: the criterion is about significant figures, not decimals."""
    values = [value * scale for value in CREOSOTE]

    estimate = robust.algorithm_a(values, stop="three_sig_figs")

    assert estimate.iterations == third_figure_iterations(values) == 6
    assert (estimate.mean, estimate.sd) == pytest.approx(reference_algorithm_a(values, 6))


def test_relative_stop_takes_as_many_iterations_in_any_unit() -> None:
    """g/kg to mg/t: the stop is relative, so the count does not depend on the unit."""
    scales = (0.001, 1.0, 1000.0, 1e6)
    counts = [robust.algorithm_a([value * scale for value in CREOSOTE]).iterations
              for scale in scales]

    assert counts == [55, 55, 55, 55]


def test_a_zero_tolerance_stops_at_an_exact_fixed_point() -> None:
    """No result is clipped, so the second update repeats the first exactly."""
    estimate = robust.algorithm_a([1.0, 2.0, 3.0, 4.0, 5.0], tolerance=0.0)

    assert estimate == robust.RobustEstimate(3.0, 1.134 * float(np.std([1, 2, 3, 4, 5], ddof=1)),
                                             "algorithm-a", 2)


def test_the_iteration_limit_is_inclusive() -> None:
    assert robust.algorithm_a(CREOSOTE, max_iterations=55).iterations == 55

    with pytest.raises(ConvergenceError) as raised:
        robust.algorithm_a(CREOSOTE, max_iterations=54)

    assert str(raised.value) == "Algorithm A did not converge in 54 iterations"


def test_the_default_iteration_limit_is_1000() -> None:
    with pytest.raises(ConvergenceError) as raised:
        robust.algorithm_a(CREOSOTE, tolerance=-1.0)  # a criterion that is never met

    assert str(raised.value) == "Algorithm A did not converge in 1000 iterations"


def test_algorithm_a_names_itself() -> None:
    assert robust.algorithm_a(CREOSOTE).method == "algorithm-a"


def test_more_than_half_equal_results_give_the_full_reason() -> None:
    with pytest.raises(PTInputError) as raised:
        robust.algorithm_a([5.0, 5.0, 5.0, 6.0, 7.0])

    assert str(raised.value) == (
        "more than half of the results are equal: the median absolute deviation is 0, "
        "so Algorithm A cannot start (s* = 0)"
    )


def test_a_step_that_clips_every_result_to_one_value_is_refused() -> None:
    with pytest.raises(PTInputError) as raised:
        robust.algorithm_a_step(np.array([1.0, 2.0, 3.0]), 100.0, 1.0)

    assert str(raised.value) == "Algorithm A reached a robust standard deviation of 0"


def test_a_step_giving_s_star_of_exactly_1_is_valid() -> None:
    # 1.134 * sd([0, d]) is exactly 1.0 in binary floating point for this d
    d = 1.2471019068545812

    assert robust.algorithm_a_step(np.array([0.0, d]), d / 2, 10.0) == (d / 2, 1.0)


def test_q_method_refuses_results_that_differ_only_by_the_smallest_float() -> None:
    with pytest.raises(PTInputError) as raised:
        robust.q_method_sd([0.0, 5e-324])

    assert str(raised.value) == "too many equal results: the Q-method standard deviation is 0"


def test_hampel_mean_with_a_low_outlier_beyond_4_5_sd_matches_bisection() -> None:
    values = [1.0, 10.0, 10.2, 10.4, 10.5, 10.9, 11.3]

    assert robust.hampel_mean(values, 0.5) == pytest.approx(reference_hampel(values, 0.5),
                                                              abs=1e-9)


def test_hampel_mean_of_an_asymmetric_round_matches_bisection() -> None:
    sd = robust.q_method_sd(CREOSOTE)

    assert robust.hampel_mean(CREOSOTE, sd) == pytest.approx(reference_hampel(CREOSOTE, sd),
                                                               abs=1e-9)


@pytest.mark.parametrize(("sd", "message"), [
    (0.0, "robust standard deviation must be greater than 0, got 0.0"),
    ("x", "robust standard deviation is not a number: 'x'"),
])
def test_hampel_mean_refuses_a_bad_standard_deviation(sd, message) -> None:
    with pytest.raises(PTInputError) as raised:
        robust.hampel_mean(CREOSOTE, sd)

    assert str(raised.value) == message


@pytest.mark.parametrize(("values", "message", "index"), [
    ([1.0, "x"], "result 2 is not a number: 'x'", 1),
    ([1.0, math.inf], "result 2 is not a finite number: inf", 1),
    (np.array([1.0, np.inf, np.nan]), "result 2 is not a finite number: inf", 1),
    (np.array([1, 2, 3, 4]).reshape(2, 2), "results must be a flat sequence of numbers", None),
])
def test_bad_results_name_the_first_bad_participant(values, message, index) -> None:
    with pytest.raises(PTInputError) as raised:
        robust.as_results(values)

    assert (str(raised.value), raised.value.index) == (message, index)


def test_an_integer_array_is_read_as_floats() -> None:
    array = robust.as_results(np.array([1, 2, 3]))

    assert (array.dtype, array.tolist()) == (np.float64, [1.0, 2.0, 3.0])
