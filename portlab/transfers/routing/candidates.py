"""What the flow model may choose from: candidate labs per test, and test weights."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from portlab.transfers.routing.data import Weights
from portlab.transfers.routing.problem import Bundle, Option, Problem

WEIGHT_SCALE = 1 << 16
# At most 1% of an application's weight is shared by its other tests: the bound then nears
# the contention among critical tests alone, and the remainder still asks the flow to serve
# the other tests early rather than anywhere.
OTHER_TESTS_WEIGHT = 656  # ≈ 0.01 × WEIGHT_SCALE


def bundle_key(problem: Problem, bundle: Bundle, lab: int) -> tuple[int, float, int]:
    """Finish on an empty batch, price, lab: how a lab ranks for a whole sample."""
    options = [problem.options[test][lab] for test in bundle.tests]
    finish = max(option.earliest for option in options)
    return finish, sum(option.price for option in options), lab


def lower_cost(problem: Problem, test: int, option: Option, weight: int, scale: int,
               weights: Weights) -> float:
    """The least the test can cost at this option, in points × scale: weighted completion and
    tardiness on its earliest day with no other test of the batch ahead, its price, and its
    share of a shipment (its application's tests sent to one lab share one)."""
    problem_due = problem.app_due[problem.app_of[test]]
    late = 0 if problem_due is None else max(0, option.earliest - problem_due)
    size = problem.app_size[problem.app_of[test]]
    points = (weights.price_per_1000 * option.price / 1000
              + weights.transport * option.transport / size)
    return (weight * (weights.completion * option.earliest + weights.tardiness * late)
            + scale * points)


def candidate_labs(problem: Problem, greedy_lab_of: list[int], count: int,
                   weight: list[int], weights: Weights) -> list[list[int]]:
    """Per test, the labs the model may use: the ``count`` where it would cost least on an
    empty batch (a sample that one lab can do whole: where the whole sample would), plus the
    greedy answer's lab (so the model can always do as well as it)."""
    candidates: list[list[int]] = [[] for _ in problem.tests]

    def cost(test: int, lab: int) -> float:
        option = problem.options[test][lab]
        return lower_cost(problem, test, option, weight[test], WEIGHT_SCALE, weights)

    for bundle in problem.bundles:
        if bundle.common:
            best = heapq.nsmallest(count, bundle.common, key=lambda lab: (
                sum(cost(test, lab) for test in bundle.tests), lab))
            for test in bundle.tests:
                candidates[test] = best
            continue
        for test in bundle.tests:
            candidates[test] = heapq.nsmallest(
                count, problem.options[test], key=lambda lab: (cost(test, lab), lab))
    for test, lab in enumerate(greedy_lab_of):
        if lab not in candidates[test]:
            candidates[test] = [*candidates[test], lab]
    return candidates


def critical_tests(problem: Problem, days: Sequence[int]) -> list[int]:
    """Per application, its test with the latest of the given days (the first on ties)."""
    critical = [-1] * len(problem.app_ids)
    for test, app in enumerate(problem.app_of):
        current = critical[app]
        if current < 0 or days[test] > days[current]:
            critical[app] = test
    return critical


def application_weights(problem: Problem, critical: Sequence[int]) -> tuple[list[int], int]:
    """Integer weights w and a scale S with sum(w) <= S over each application's tests.

    Any such weights make sum(w × completion) / S a lower bound on the sum of application
    completion days (a maximum is at least any weighted mean). The application's critical
    test, the likeliest to decide its day, carries what the others leave.
    """
    weights = []
    for test, app in enumerate(problem.app_of):
        size = problem.app_size[app]
        # Rounded down to a power of two: fewer distinct weights, fewer (lab, weight) nodes.
        share = OTHER_TESTS_WEIGHT // size
        weight = 1 << (share.bit_length() - 1) if share else 0
        weights.append(WEIGHT_SCALE - (size - 1) * weight if critical[app] == test else weight)
    return weights, WEIGHT_SCALE
