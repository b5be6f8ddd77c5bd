"""Routing with capacity where it is (a capability's own, the instruments it shares, the lab
bench), due dates in the objective, and the bound checked against the exact optimum."""

from __future__ import annotations

import itertools
import random

import pytest

from portlab.transfers.routing import (
    Capability,
    Instrument,
    Lab,
    RoutingNetwork,
    TestRequest,
    Weights,
    route,
    route_greedy,
)
from portlab.transfers.routing.network import index_network
from portlab.transfers.routing.problem import build_problem
from portlab.transfers.routing.queues import application_completion, schedule, score
from portlab.transfers.tests.test_routing_rules import network_of, single


def days(result) -> dict[str, tuple[str, int]]:
    return {str(a.test_id): (str(a.lab_id), a.completion_day) for a in result.assignments}


def test_a_capability_s_own_capacity_limits_it_and_not_its_neighbours() -> None:
    """Lead starts 1 a day at A, tin 3 a day: the lab's capacities are not summed."""
    network = network_of([Lab("A", "X")], [
        Capability("A", "lead", True, 1, 1, daily_capacity=1),
        Capability("A", "tin", True, 1, 1, daily_capacity=3),
    ])
    batch = [single(f"lead{n}", "lead") for n in range(3)] + [
        single(f"tin{n}", "tin") for n in range(3)]

    result = route(batch, network)

    assert sorted(day for lab, day in days(result).values()) == [2, 2, 2, 2, 3, 4]
    assert {days(result)[f"lead{n}"][1] for n in range(3)} == {2, 3, 4}


def test_a_capability_s_backlog_comes_first() -> None:
    network = network_of([Lab("A", "X")], [
        Capability("A", "lead", True, 1, 1, daily_capacity=2, backlog=3),
    ])

    result = route([single("t1", "lead"), single("t2", "lead")], network)

    # 3 waiting at 2 a day: day 1 full, 1 left on day 2 with one slot free, then day 3.
    assert sorted(day for _, day in days(result).values()) == [3, 4]


def test_an_instrument_is_shared_by_the_capabilities_measured_on_it() -> None:
    """Lead and cadmium each start 5 a day, but share one ICP-MS of 1 run × 3 samples."""
    network = network_of([Lab("A", "X")], [
        Capability("A", "lead", True, 1, 1, daily_capacity=5),
        Capability("A", "cadmium", True, 1, 1, daily_capacity=5),
    ], instruments=[Instrument("icp", "A", 3, frozenset({"lead", "cadmium"}))])
    batch = [single(f"pb{n}", "lead") for n in range(3)] + [
        single(f"cd{n}", "cadmium") for n in range(3)]

    result = route(batch, network)

    assert sorted(day for _, day in days(result).values()) == [2, 2, 2, 3, 3, 3]


def test_two_instruments_for_one_item_add_up() -> None:
    network = network_of([Lab("A", "X")], [Capability("A", "lead", True, 1, 1)], instruments=[
        Instrument("icp1", "A", 1, frozenset({"lead"})),
        Instrument("icp2", "A", 1, frozenset({"lead"})),
    ])

    result = route([single(f"t{n}", "lead") for n in range(3)], network)

    assert sorted(day for _, day in days(result).values()) == [2, 2, 3]


def test_an_instrument_down_for_the_whole_horizon_leaves_its_tests_unplaced_with_why() -> None:
    network = network_of([Lab("A", "X", 10)], [
        Capability("A", "lead", True, 1, 1, daily_capacity=5),
        Capability("A", "tin", True, 1, 1),
    ], instruments=[Instrument("icp", "A", 0, frozenset({"lead"}))])

    result = route([single("t1", "lead"), single("t2", "tin")], network)

    assert [(u.test_id, u.reason, u.detail) for u in result.unplaced] == [
        ("t1", "instrument_down", "labs 'A': every instrument measuring 'lead' is down")]
    assert days(result) == {"t2": ("A", 2)}  # tin uses the bench, which works


def test_a_capability_with_zero_capacity_is_refused_and_another_lab_takes_the_test() -> None:
    network = network_of([Lab("A", "X"), Lab("B", "X")], [
        Capability("A", "lead", True, 1, 1, daily_capacity=0),
        Capability("B", "lead", True, 1, 1, daily_capacity=1),
    ], agreements=[("A", "B", None)])

    result = route([single("t1", "lead")], network)

    assert days(result) == {"t1": ("B", 2)}
    assert result.unplaced == ()


def test_zero_capacity_everywhere_lists_the_test_unplaced_and_loses_nothing() -> None:
    network = network_of([Lab("A", "X")], [
        Capability("A", "lead", True, 1, 1, daily_capacity=0),
        Capability("A", "tin", True, 1, 1, daily_capacity=1),
    ])

    result = route([single("t1", "lead"), single("t2", "tin")], network)

    assert [(u.test_id, u.reason) for u in result.unplaced] == [("t1", "no_capacity")]
    assert [a.test_id for a in result.assignments] == ["t2"]
    assert result.labs_without_capacity == ()  # A still works tin


def test_a_due_day_in_the_past_is_routed_and_counted_late() -> None:
    network = network_of([Lab("A", "X")], [Capability("A", "lead", True, 0, 1, 1)])

    result = route([single("t1", "lead", due=-2)], network)

    (assignment,) = result.assignments
    assert (assignment.completion_day, assignment.late) == (2, True)
    assert (result.completion_days, result.late_days, result.objective) == (2, 4, 2 + 4 * 4)


def test_due_dates_are_in_the_objective() -> None:
    """One slot a day at A: the test due on day 2 goes first although it came last."""
    network = network_of([Lab("A", "X")], [Capability("A", "lead", True, 0, 1, 1)])
    batch = [single("relaxed", "lead", due=9), single("urgent", "lead", due=2)]

    result = route(batch, network)

    assert days(result) == {"relaxed": ("A", 3), "urgent": ("A", 2)}
    assert result.late_days == 0


def test_weights_trade_price_against_days() -> None:
    """B is a day slower but 4,000 cheaper: worth it at 1 point per 1,000, not at 0.1."""
    network = network_of([Lab("A", "X"), Lab("B", "X")], [
        Capability("A", "lead", True, 5000, 1, 1), Capability("B", "lead", True, 1000, 2, 1),
    ], agreements=[("A", "B", None)])
    batch = [single("t1", "lead")]

    cheap = route(batch, network)
    fast = route(batch, network, weights=Weights(price_per_1000=0.1))

    assert (days(cheap), days(fast)) == ({"t1": ("B", 3)}, {"t1": ("A", 2)})


def test_an_application_s_samples_travel_together_where_possible() -> None:
    """Two samples of one application; B and C (same city, same price and speed) can each do
    both: one shipment, not two."""
    network = network_of([Lab("A", "X"), Lab("B", "Y", 5), Lab("C", "Y", 5)], [
        Capability("B", "lead", True, 1, 1), Capability("C", "lead", True, 1, 1),
        Capability("B", "tin", True, 1, 1), Capability("C", "tin", True, 1, 1),
    ], agreements=[("A", "B", None), ("A", "C", None)])
    batch = [TestRequest("t1", "app", "s1", "lead", "A", False, None),
             TestRequest("t2", "app", "s2", "tin", "A", False, None)]

    result = route(batch, network)

    assert len({lab for lab, _ in days(result).values()}) == 1
    assert result.objective == pytest.approx(4 + 0.002 + 0.5 * 2)


def random_small(seed: int) -> tuple[list[TestRequest], RoutingNetwork]:
    """3 labs in 2 cities, 3 items, capabilities with and without own capacity, one shared
    instrument, 5 tests in 2-3 applications with due days (some already past)."""
    rng = random.Random(seed)
    labs = [Lab("A", "X", rng.randint(1, 2), rng.randint(0, 2)),
            Lab("B", "X", rng.randint(1, 2), rng.randint(0, 2)),
            Lab("C", "Y", rng.randint(1, 2), rng.randint(0, 2))]
    capabilities = []
    for lab in labs:
        for item in ("lead", "tin", "zinc"):
            if rng.random() < 0.8:
                own = rng.choice([None, 1, 2])
                capabilities.append(Capability(lab.id, item, True, rng.randint(100, 3000),
                                               rng.randint(1, 3), own, rng.randint(0, 2)))
    instruments = [Instrument("icp", rng.choice("ABC"), rng.randint(1, 2),
                              frozenset({"lead", "zinc"}))]
    tests = []
    for number in range(5):
        app = rng.randrange(3)
        tests.append(TestRequest(f"t{number}", f"app{app}", f"s{app}-{rng.randrange(2)}",
                                 rng.choice(["lead", "tin", "zinc"]), "A", False,
                                 rng.randint(-1, 5)))
    agreements = [("A", "B", None), ("A", "C", None)]
    return tests, RoutingNetwork(labs, capabilities, lambda a, b: 0 if a == b else 2,
                                 agreements, instruments=instruments)


def exact_optimum(tests: list[TestRequest], network: RoutingNetwork) -> float:
    """Every lab for every test, every order in which the labs take them: the least objective.
    (Whether samples stay together only changes the objective through shipments, counted.)"""
    problem = build_problem(index_network(network), tests)
    weights = Weights()
    best = float("inf")
    for lab_of in itertools.product(*[sorted(options) for options in problem.options]):
        for order in itertools.permutations(range(len(problem.tests))):
            rank = [0] * len(order)
            for position, test in enumerate(order):
                rank[test] = position
            completion = schedule(problem, list(lab_of), rank)
            apps = application_completion(problem, completion)
            best = min(best, score(problem, list(lab_of), apps, weights).points)
    return best


@pytest.mark.parametrize("seed", range(30))
def test_the_bound_is_below_the_exact_optimum_and_the_routing_above(seed: int) -> None:
    """bound ≤ optimum ≤ objective on instances small enough to enumerate every routing."""
    tests, network = random_small(seed)

    result = route(tests, network)
    optimum = exact_optimum(tests, network)

    assert len(result.assignments) + len(result.unplaced) == len(tests)
    assert result.bound <= optimum + 1e-9 <= result.objective + 2e-9
    assert result.objective <= route_greedy(tests, network).objective + 1e-9


def test_the_hand_instance_is_routed_at_its_exact_optimum() -> None:
    """test_routing.py's hand instance, where the optimum moves t1 to a dearer lab to free a
    queue: the routing (after single-test moves) equals the enumerated optimum."""
    from portlab.transfers.tests.test_routing import HAND_BATCH, HAND_NETWORK

    assert route(HAND_BATCH, HAND_NETWORK).objective == pytest.approx(
        exact_optimum(HAND_BATCH, HAND_NETWORK))
    assert exact_optimum(HAND_BATCH, HAND_NETWORK) == pytest.approx(36.64)
