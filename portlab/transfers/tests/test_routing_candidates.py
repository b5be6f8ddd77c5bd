"""`critical_tests` and `application_weights` on hand-made applications (they read only which
application each test belongs to and the applications' sizes)."""

from __future__ import annotations

from types import SimpleNamespace

from portlab.transfers.routing.candidates import (
    OTHER_TESTS_WEIGHT,
    WEIGHT_SCALE,
    application_weights,
    critical_tests,
)


def applications(*sizes: int) -> SimpleNamespace:
    app_of = [app for app, size in enumerate(sizes) for _ in range(size)]
    return SimpleNamespace(app_ids=list(range(len(sizes))), app_of=app_of, app_size=list(sizes))


def test_the_critical_test_is_the_latest_and_the_first_on_ties() -> None:
    problem = applications(2, 3, 1)
    days = [5, 3,   # test 0 (the application's first) is the latest
            4, 7, 7,  # a tie between tests 3 and 4: the first of them
            2]

    assert critical_tests(problem, days) == [0, 3, 5]


def test_an_application_of_one_test_gives_it_the_whole_scale() -> None:
    weights, scale = application_weights(applications(1), [0])

    assert (weights, scale) == ([WEIGHT_SCALE], WEIGHT_SCALE)


def test_other_tests_share_at_most_one_percent_rounded_down_to_a_power_of_two() -> None:
    weights, _ = application_weights(applications(3), [1])

    # 656 // 3 = 218, rounded down to 128 for each of the two others.
    assert weights == [128, WEIGHT_SCALE - 2 * 128, 128]
    assert sum(weights) == WEIGHT_SCALE


def test_past_656_tests_the_others_weigh_nothing_and_the_critical_one_everything() -> None:
    size = OTHER_TESTS_WEIGHT + 1
    weights, _ = application_weights(applications(size), [size - 1])

    assert weights[:-1] == [0] * (size - 1)
    assert weights[-1] == WEIGHT_SCALE


def test_exactly_656_tests_still_share_a_weight_of_one() -> None:
    size = OTHER_TESTS_WEIGHT
    weights, _ = application_weights(applications(size), [0])

    assert weights[1:] == [1] * (size - 1)
    assert weights[0] == WEIGHT_SCALE - (size - 1)
