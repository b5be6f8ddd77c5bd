"""Routing's greedy answer and the planned routing pinned for mutation testing (see
test_routing_rules.py for the rules on which labs may take a test and the queue model)."""

from __future__ import annotations

import time

import pytest

from portlab.transfers.routing import (
    Capability,
    Lab,
    TestRequest,
    route,
    route_greedy,
)
from portlab.transfers.tests.test_routing import HAND_BATCH, HAND_NETWORK, random_instance
from portlab.transfers.tests.test_routing_rules import network_of, single


def test_greedy_on_an_empty_batch_places_nothing() -> None:
    network = network_of([Lab("A", "X", 1)], [Capability("A", "lead", True, 1, 1)])

    result = route_greedy([], network)

    assert (result.status, result.assignments, result.objective, result.bound, result.gap,
            result.figures) == ("empty", (), 0, 0.0, 0.0, {})
    assert result.seconds >= 0


def test_greedy_reports_no_plan_figures() -> None:
    network = network_of([Lab("A", "X", 1)], [Capability("A", "lead", True, 1, 1)])

    result = route_greedy([single("t1", "lead")], network)

    # Day 2 at the origin, no due day, a price of 1 (0.001 of a point): nothing to bound better.
    assert (result.status, result.objective, result.bound, result.figures) == (
        "greedy", 2.001, 2.001, {},
    )


def test_the_plans_of_the_hand_instance() -> None:
    """test_routing.py's hand instance: each application planned alone (33.6 points, the
    bound), then queued (56.6: every test wants A), then the 4 applications finishing after
    their plan planned again against the others' queues (49.62, greedy's answer), then single
    tests moved against the whole objective (36.64, the optimum)."""
    result = route(HAND_BATCH, HAND_NETWORK)

    assert dict(result.figures) == pytest.approx({
        "greedy_objective": 49.62, "no_queue_bound": 33.1,
        "plans_bound": 33.6, "plans_objective": 33.6, "plans_nodes": 7,
        "queued_objective": 56.6, "delayed_applications": 4, "replanned_objective": 49.62,
        "moved_objective": 36.64,
    }, rel=1e-12)
    assert (result.objective, result.bound) == (pytest.approx(36.64), pytest.approx(33.6))


def test_the_plans_of_a_random_network() -> None:
    batch, network = random_instance(3)
    result = route(batch, network)

    assert dict(result.figures) == pytest.approx({
        "greedy_objective": 3419.043, "no_queue_bound": 2515.0066666666653,
        "plans_bound": 2612.919, "plans_objective": 2612.919, "plans_nodes": 250,
        "queued_objective": 3015.919, "delayed_applications": 52,
        "replanned_objective": 3006.141, "moved_objective": 2956.241,
    }, rel=1e-12)
    assert (result.objective, result.completion_days, result.late_days) == (
        pytest.approx(2956.241), 930, 438)


def test_an_empty_batch_has_nothing_to_bound_or_pay() -> None:
    network = network_of([Lab("A", "X", 1)], [Capability("A", "lead", True, 1, 1)])

    result = route([], network)

    assert (result.status, result.bound, result.gap, result.total_price, result.figures,
            result.application_completion) == ("empty", 0.0, 0.0, 0.0, {}, {})
    assert 0 <= result.seconds <= time.perf_counter()


SAME_CITY_PAIR = [Lab("A", "X", 1), Lab("B", "X", 1)]
BOTH_DO_LEAD = [Capability("A", "lead", True, 100, 1), Capability("B", "lead", True, 100, 1)]


def test_greedy_sends_each_test_where_it_finishes_first_and_ties_to_the_first_lab() -> None:
    network = network_of(SAME_CITY_PAIR, BOTH_DO_LEAD, agreements=[("A", "B", None)])
    batch = [single(f"t{n}", "lead", due=n) for n in range(1, 4)]

    result = route_greedy(batch, network)

    # t1 at A on day 2; t2 would wait to day 3 at A, so B (day 2); t3: day 3 at both, A first.
    assert [(a.test_id, a.lab_id, a.completion_day) for a in result.assignments] == [
        ("t1", "A", 2), ("t2", "B", 2), ("t3", "A", 3),
    ]
    # 7 days, t1 a day late (4 points), 300 of price (0.3), B in the same city (no transport).
    assert (result.completion_days, result.late_days, result.total_price) == (7, 1, 300.0)
    assert result.objective == pytest.approx(7 + 4 + 0.3)


def test_greedy_serves_samples_by_due_day_then_batch_order() -> None:
    network = network_of([Lab("A", "X", 1)], [Capability("A", "lead", True, 100, 1)])
    batch = [single("late", "lead", due=9), single("none", "lead"), single("soon", "lead", due=1),
             single("mid", "lead", due=5)]

    result = route_greedy(batch, network)

    assert {a.test_id: a.completion_day for a in result.assignments} == {
        "soon": 2, "mid": 3, "late": 4, "none": 5,
    }
    assert [a.late for a in result.assignments] == [False, False, True, False]


def test_greedy_keeps_a_sample_together_at_the_lab_that_finishes_it_first() -> None:
    """Whole sample at A: its queue releases both by day ceil(2/1) = 2, plus the longer
    turnaround, 2: day 4. At B, 3 already wait: ceil(5/1) + 2 = 7. B's lower price does not
    matter: price only breaks ties."""
    network = network_of([Lab("A", "X", 1), Lab("B", "X", 1, backlog=3)], [
        Capability("A", "lead", True, 100, 1), Capability("A", "tin", True, 100, 2),
        Capability("B", "lead", True, 10, 1), Capability("B", "tin", True, 10, 2),
    ], agreements=[("A", "B", None)])
    batch = [TestRequest("t1", "app", "s1", "lead", "A", False, None),
             TestRequest("t2", "app", "s1", "tin", "A", False, None)]

    result = route_greedy(batch, network)

    assert [(a.lab_id, a.completion_day) for a in result.assignments] == [("A", 2), ("A", 4)]
    assert (result.completion_days, result.total_price, dict(result.application_completion)) == (
        4, 200.0, {"app": 4},
    )


def test_greedy_splits_a_sample_no_lab_can_do_whole() -> None:
    network = network_of(SAME_CITY_PAIR, [
        Capability("A", "lead", True, 100, 1), Capability("B", "tin", True, 100, 3),
    ], agreements=[("A", "B", None)])
    batch = [TestRequest("t1", "app", "s1", "lead", "A", False, None),
             TestRequest("t2", "app", "s1", "tin", "A", False, None)]

    result = route_greedy(batch, network)

    assert [(a.lab_id, a.completion_day, a.transferred) for a in result.assignments] == [
        ("A", 2, False), ("B", 4, True),
    ]


def test_a_passed_time_limit_reports_the_greedy_figures_only() -> None:
    result = route(HAND_BATCH, HAND_NETWORK, time_limit_seconds=0)

    assert dict(result.figures) == pytest.approx(
        {"greedy_objective": 49.62, "no_queue_bound": 33.1})


def test_greedy_judges_a_sample_by_its_slowest_test() -> None:
    """At A the sample's tin takes 5 days, at B its slowest test takes 2: B, although A is
    faster for the sample's first test."""
    network = network_of(SAME_CITY_PAIR, [
        Capability("A", "lead", True, 1, 1), Capability("A", "tin", True, 1, 5),
        Capability("B", "lead", True, 1, 2), Capability("B", "tin", True, 1, 1),
    ], agreements=[("A", "B", None)])
    batch = [TestRequest("t1", "app", "s1", "lead", "A", False, None),
             TestRequest("t2", "app", "s1", "tin", "A", False, None)]

    result = route_greedy(batch, network)

    assert [(a.lab_id, a.completion_day) for a in result.assignments] == [("B", 3), ("B", 3)]


def test_the_routing_is_never_worse_than_the_greedy_answer() -> None:
    """Alone, each test would go to A, the cheaper (queued: 21.3 points); planned again
    against the others' queues, 15.3; greedy's B for t2 does better (11.3), and is kept."""
    network = network_of(SAME_CITY_PAIR, BOTH_DO_LEAD, agreements=[("A", "B", None)])
    batch = [single(f"t{n}", "lead", due=n) for n in range(1, 4)]

    result = route(batch, network)

    assert (result.status, result.completion_days) == ("solved", 7)
    assert (result.figures["queued_objective"], result.figures["replanned_objective"],
            result.objective) == pytest.approx((21.3, 15.3, 11.3))
    assert [(a.lab_id, a.completion_day) for a in result.assignments] == [
        ("A", 2), ("B", 2), ("A", 3)]
