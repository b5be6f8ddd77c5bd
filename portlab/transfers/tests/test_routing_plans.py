"""One application planned alone (routing/plans.py): the branch and bound against every
assignment enumerated, and its lower bound when the search is cut short."""

from __future__ import annotations

import itertools
import random

import pytest

from portlab.transfers.routing import Capability, Lab, RoutingNetwork, TestRequest, Weights
from portlab.transfers.routing import plans as plans_module
from portlab.transfers.routing.network import index_network
from portlab.transfers.routing.plans import Choice, application_choices, plan_application
from portlab.transfers.routing.problem import build_problem

WEIGHTS = Weights()


def points(choices, samples, due, labs) -> float:
    """The application's objective for one lab per test, counted from the package docstring."""
    picked = [next(c for c in found if c.lab == lab)
              for found, lab in zip(choices, labs, strict=True)]
    day = max(choice.day for choice in picked)
    late = 0 if due is None else max(0, day - due)
    shipments = {choice.lab: choice.shipment for choice in picked}
    per_sample: dict[int, set[int]] = {}
    for sample, lab in zip(samples, labs, strict=True):
        per_sample.setdefault(sample, set()).add(lab)
    return (day + 4 * late + sum(choice.price for choice in picked) + sum(shipments.values())
            + sum(len(found) - 1 for found in per_sample.values()))


def least(choices, samples, due) -> float:
    return min(points(choices, samples, due, labs)
               for labs in itertools.product(*[[c.lab for c in found] for found in choices]))


def test_a_sample_stays_whole_unless_splitting_saves_more_than_the_sub_sample() -> None:
    # Lab 0 (the origin) does both tests on day 3; lab 1, a 1-point shipment away, does the
    # second on day 2 at the same price: splitting would cost a sub-sample and a shipment
    # for nothing, since the first test still finishes on day 3.
    choices = [[Choice(3, 0.5, 0.0, 0)],
               [Choice(3, 0.5, 0.0, 0), Choice(2, 0.5, 1.0, 1)]]

    plan = plan_application(choices, [0, 0], None, WEIGHTS)

    assert (plan.labs, plan.completion, plan.cost, plan.lower) == ((0, 0), 3, 4.0, 4.0)


def test_a_day_saved_before_the_due_day_is_worth_its_tardiness() -> None:
    # Due on day 2: lab 1 finishes both on day 2 for a 0.5 shipment and 0.4 more in price;
    # at the origin, day 4 (2 days late: 4 + 8 points).
    choices = [[Choice(4, 0.3, 0.0, 0), Choice(2, 0.5, 0.5, 1)],
               [Choice(4, 0.3, 0.0, 0), Choice(2, 0.5, 0.5, 1)]]

    plan = plan_application(choices, [0, 1], 2, WEIGHTS)

    assert (plan.labs, plan.completion) == ((1, 1), 2)
    assert plan.cost == pytest.approx(2 + 1.0 + 0.5)


def random_choices(rng: random.Random) -> tuple[list[list[Choice]], list[int], int]:
    labs = rng.randint(2, 5)
    shipment = [0.0] + [rng.choice([0.5, 1.0, 1.5]) for _ in range(labs - 1)]
    choices, samples = [], []
    for _ in range(rng.randint(1, 6)):
        offered = rng.sample(range(labs), rng.randint(1, labs))
        choices.append([Choice(rng.randint(1, 6), rng.randint(1, 30) / 10, shipment[lab], lab)
                        for lab in offered])
        samples.append(rng.randrange(3))
    return choices, samples, rng.randint(0, 6)


@pytest.mark.parametrize("seed", range(200))
def test_the_plan_is_the_least_of_every_assignment(seed: int) -> None:
    choices, samples, due = random_choices(random.Random(seed))

    plan = plan_application(choices, samples, due, WEIGHTS)

    assert plan.cost == pytest.approx(least(choices, samples, due))
    assert plan.cost == pytest.approx(points(choices, samples, due, plan.labs))
    assert plan.lower == plan.cost  # the search ran to its end


@pytest.mark.parametrize("seed", range(200))
def test_a_search_cut_short_still_bounds_the_application(monkeypatch, seed: int) -> None:
    monkeypatch.setattr(plans_module, "NODE_LIMIT", 2)
    choices, samples, due = random_choices(random.Random(seed))

    plan = plan_application(choices, samples, due, WEIGHTS)
    optimum = least(choices, samples, due)

    assert plan.lower <= optimum + 1e-9 <= plan.cost + 2e-9
    assert plan.cost == pytest.approx(points(choices, samples, due, plan.labs))


def test_cut_short_the_plan_may_miss_the_best_and_the_bound_says_so(monkeypatch) -> None:
    """Seed 0: 4 tests, 5 labs. Two branches per completion day are not enough to find the
    best (10.3 points); the answer costs 10.4 and the bound drops to 9.5, below the best."""
    choices, samples, due = random_choices(random.Random(0))
    full = plan_application(choices, samples, due, WEIGHTS)
    monkeypatch.setattr(plans_module, "NODE_LIMIT", 2)

    cut = plan_application(choices, samples, due, WEIGHTS)

    assert (full.cost, full.lower) == (pytest.approx(10.3), pytest.approx(10.3))
    assert (cut.cost, cut.lower) == (pytest.approx(10.4), pytest.approx(9.5))


def test_a_lab_s_shipment_is_the_least_any_test_of_the_application_pays() -> None:
    """One application, tests from two origin labs A and B (different cities): B is an origin,
    so sending there ships nothing the objective would count for B's test; C costs the nearer
    origin's transport, whatever the order of the tests."""
    days = {frozenset({"X", "Y"}): 1, frozenset({"X", "Z"}): 3, frozenset({"Y", "Z"}): 2}
    network = RoutingNetwork(
        [Lab("A", "X", 5), Lab("B", "Y", 5), Lab("C", "Z", 5)],
        [Capability(lab, "lead", True, 100, 1) for lab in "ABC"],
        lambda a, b: 0 if a == b else days[frozenset({a, b})],
        [(a, b, None) for a in "AB" for b in "ABC" if a != b])
    for origins in ("AB", "BA"):
        batch = [TestRequest(f"t{n}", "app", f"s{n}", "lead", origin, False, None)
                 for n, origin in enumerate(origins)]
        problem = build_problem(index_network(network), batch)

        choices, samples = application_choices(problem, 0, WEIGHTS)

        shipments = {choice.lab: choice.shipment for choice in choices[0]}
        assert shipments == {0: 0.0, 1: 0.0, 2: 0.5 * 2}
        assert samples == [0, 1]
