"""Lab queues: on which day a test finishes, given where it goes and what is ahead of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from portlab.transfers.routing.data import Id, RoutingInputError, RoutingNetwork, TestRequest
from portlab.transfers.routing.network import IndexedNetwork, index_network
from portlab.transfers.routing.problem import Problem


def queue_day(backlog: int, position: int, capacity: int) -> int:
    """The day the ``position``-th test behind ``backlog`` leaves a queue of ``capacity``/day."""
    return -(-(backlog + position) // capacity)


def schedule(problem: Problem, lab_of: Sequence[int], rank: Sequence[Any]) -> list[int]:
    """Completion day of every placed test when each lab works its tests in ``rank`` order."""
    queues: dict[int, list[int]] = {}
    for test, lab in enumerate(lab_of):
        queues.setdefault(lab, []).append(test)
    net = problem.net
    completion = [0] * len(lab_of)
    for lab, members in queues.items():
        members.sort(key=rank.__getitem__)
        backlog, capacity = net.backlog[lab], net.capacity[lab]
        for position, test in enumerate(members, start=1):
            option = problem.options[test][lab]
            completion[test] = (
                option.transport + queue_day(backlog, position, capacity) + option.turnaround
            )
    return completion


def application_completion(problem: Problem, completion: Sequence[int]) -> list[int]:
    """Each application's completion day: that of its latest test."""
    latest = [0] * len(problem.app_ids)
    for test, day in enumerate(completion):
        app = problem.app_of[test]
        latest[app] = max(latest[app], day)
    return latest


def _predicted_day(net: IndexedNetwork, test: TestRequest, lab_id: Id | None) -> int:
    lab = net.lab_index.get(lab_id) if lab_id is not None else None
    origin = net.lab_index.get(test.origin_lab_id)
    if lab is None or origin is None:
        raise RoutingInputError(
            f"test {test.id!r}: lab {lab_id!r} or origin lab {test.origin_lab_id!r} is unknown"
        )
    capacity = net.capacity[lab]
    if capacity == 0:
        raise RoutingInputError(f"lab {lab_id!r} has zero daily capacity: its queue never moves")
    offers = net.accredited_offers if test.requires_accreditation else net.offers
    offer = offers.get(test.test_item_id, {}).get(lab)
    if offer is None:
        need = "an accredited capability" if test.requires_accreditation else "the capability"
        raise RoutingInputError(f"lab {lab_id!r} lacks {need} for {test.test_item_id!r}")
    transport = 0 if origin == lab else net.transport.days(net.cities[origin], net.cities[lab])
    return transport + -(-net.backlog[lab] // capacity) + offer.turnaround


def predict_completion(
    *, tests: Iterable[TestRequest], lab_of_test: Mapping[Id, Id], network: RoutingNetwork
) -> int:
    """Predicted completion day of an application whose tests wait in the given labs' queues.

    Each test finishes on transport days + ceil(backlog / daily capacity) + turnaround at its
    lab (the backlog already counting it); the application finishes with its latest test.
    """
    net = index_network(network)
    days = [_predicted_day(net, test, lab_of_test.get(test.id)) for test in tests]
    if not days:
        raise RoutingInputError("an application needs at least one test to predict")
    return max(days)
