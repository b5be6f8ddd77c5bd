"""Lab queues and the objective: on which day a test finishes, given where it goes and what is
ahead of it, and what a routing scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portlab.transfers.routing.capacity import Slots
from portlab.transfers.routing.data import (
    Id,
    RoutingInputError,
    RoutingNetwork,
    TestRequest,
    Weights,
)
from portlab.transfers.routing.network import IndexedNetwork, index_network
from portlab.transfers.routing.problem import Problem


def schedule(problem: Problem, lab_of: Sequence[int], rank: Sequence[Any]) -> list[int]:
    """Completion day of every placed test when the labs take their tests in ``rank`` order,
    each test the earliest slot its capability and pools have left after the backlog."""
    return placed_schedule(problem, lab_of, rank)[1]


# The batch placed in the labs' slots: the slots taken, each test's completion day, and its
# (queue day, pool).
Placed = tuple[Slots, list[int], list[tuple[int, int | None]]]


def placed_schedule(problem: Problem, lab_of: Sequence[int], rank: Sequence[Any]) -> Placed:
    """``schedule``, with the slots taken and each test's (queue day, pool)."""
    slots = Slots(problem.net.capacity, problem.net.backlog)
    completion = [0] * len(lab_of)
    taken: list[tuple[int, int | None]] = [(0, None)] * len(lab_of)
    for test in sorted(range(len(lab_of)), key=rank.__getitem__):
        option = problem.options[test][lab_of[test]]
        day, pool = slots.earliest(option.route)
        slots.take(option.route, day, pool)
        taken[test] = (day, pool)
        completion[test] = option.transport + day + option.turnaround
    return slots, completion, taken


def application_completion(problem: Problem, completion: Sequence[int]) -> list[int]:
    """Each application's completion day: that of its latest test."""
    latest = [0] * len(problem.app_ids)
    for test, day in enumerate(completion):
        app = problem.app_of[test]
        latest[app] = max(latest[app], day)
    return latest


@dataclass(frozen=True, slots=True)
class Score:
    """A routing's objective in points and its parts."""

    points: float
    completion_days: int
    late_days: int
    price: float
    shipment_days: int
    splits: int = 0


def shipment_days(problem: Problem, lab_of: Sequence[int]) -> int:
    """Transport days summed over shipments: an application's tests sent to one other lab
    travel together, so each (application, lab) pair away from the origin is one shipment."""
    days: dict[tuple[int, int], int] = {}
    for test, lab in enumerate(lab_of):
        option = problem.options[test][lab]
        if lab != problem.net.lab_index[problem.tests[test].origin_lab_id]:
            days[(problem.app_of[test], lab)] = option.transport
    return sum(days.values())


def sample_splits(problem: Problem, lab_of: Sequence[int]) -> int:
    """Labs beyond the first that each sample's tests go to, summed over samples."""
    return sum(len({lab_of[test] for test in bundle.tests}) - 1 for bundle in problem.bundles)


def score(problem: Problem, lab_of: Sequence[int], app_completion: Sequence[int],
          weights: Weights) -> Score:
    late = sum(max(0, day - due) for day, due in zip(app_completion, problem.app_due, strict=True)
               if due is not None)
    price = sum(problem.options[test][lab].price for test, lab in enumerate(lab_of))
    shipped = shipment_days(problem, lab_of)
    completion = sum(app_completion)
    splits = sample_splits(problem, lab_of)
    points = (weights.completion * completion + weights.tardiness * late
              + weights.price_per_1000 * price / 1000 + weights.transport * shipped
              + weights.split * splits)
    return Score(points, completion, late, price, shipped, splits)


def time_points(day: int, due: int | None, weights: Weights) -> int:
    """Completion and tardiness points of an application finishing on ``day``."""
    late = 0 if due is None else max(0, day - due)
    return weights.completion * day + weights.tardiness * late


def application_points(problem: Problem, app: int, lab_of: Sequence[int],
                       completion: Sequence[int], weights: Weights) -> float:
    """One application's part of the objective (see ``score``)."""
    tests = problem.app_tests[app]
    day = max(completion[test] for test in tests)
    points = float(time_points(day, problem.app_due[app], weights))
    shipments: dict[int, int] = {}
    samples: dict[Id, set[int]] = {}
    for test in tests:
        lab, request = lab_of[test], problem.tests[test]
        option = problem.options[test][lab]
        points += weights.price_per_1000 * option.price / 1000
        if lab != problem.net.lab_index[request.origin_lab_id]:
            shipments[lab] = option.transport
        samples.setdefault(request.sample_id, set()).add(lab)
    points += weights.transport * sum(shipments.values())
    return points + weights.split * sum(len(labs) - 1 for labs in samples.values())


def _predicted_day(net: IndexedNetwork, test: TestRequest, lab_id: Id | None) -> int:
    lab = net.lab_index.get(lab_id) if lab_id is not None else None
    origin = net.lab_index.get(test.origin_lab_id)
    if lab is None or origin is None:
        raise RoutingInputError(
            f"test {test.id!r}: lab {lab_id!r} or origin lab {test.origin_lab_id!r} is unknown"
        )
    offers = net.accredited_offers if test.requires_accreditation else net.offers
    offer = offers.get(test.test_item_id, {}).get(lab)
    if offer is None:
        need = "an accredited capability" if test.requires_accreditation else "the capability"
        raise RoutingInputError(f"lab {lab_id!r} lacks {need} for {test.test_item_id!r}")
    if not net.is_open(offer.route):
        raise RoutingInputError(f"lab {lab_id!r} has zero daily capacity for "
                                f"{test.test_item_id!r}: its queue never moves")
    transport = 0 if origin == lab else net.transport.days(net.cities[origin], net.cities[lab])
    return transport + net.backlog.last_day(offer.route) + offer.turnaround


def predict_completion(
    *, tests: Iterable[TestRequest], lab_of_test: Mapping[Id, Id], network: RoutingNetwork
) -> int:
    """Predicted completion day of an application whose tests wait in the given labs' queues.

    Each test finishes on transport days + the day its capability's backlog (which already
    counts it) is cleared + turnaround at its lab; the application finishes with its latest.
    """
    net = index_network(network)
    days = [_predicted_day(net, test, lab_of_test.get(test.id)) for test in tests]
    if not days:
        raise RoutingInputError("an application needs at least one test to predict")
    return max(days)
