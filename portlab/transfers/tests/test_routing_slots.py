"""routing/capacity.py pinned for mutation testing: slots per resource and day, backlogs, and
the objective's parts (routing/queues.py)."""

from __future__ import annotations

import pytest

from portlab.transfers.routing import Capability, Instrument, Lab, TestRequest, Weights, route
from portlab.transfers.routing.capacity import (
    Route,
    Slots,
    fill_backlog,
    route_is_open,
)
from portlab.transfers.tests.test_routing_rules import network_of, single

# Resources: 0 a capability of 2 a day, 1 an instrument of 3 a day, 2 one of 0 (down),
# 3 a capability with no limit of its own (None).
CAPACITY = [2, 3, 0, None]


@pytest.mark.parametrize(("route", "open_"), [
    (Route(0, ()), True), (Route(2, ()), False), (Route(None, (1,)), True),
    (Route(None, (2,)), False), (Route(0, (2, 1)), True), (Route(2, (1,)), False),
    (Route(3, ()), True),
])
def test_a_route_is_open_when_its_own_capacity_and_one_pool_are_not_zero(route, open_) -> None:
    assert route_is_open(CAPACITY, route) is open_


def test_the_earliest_slot_needs_the_own_resource_and_one_pool_on_the_same_day() -> None:
    slots = Slots(CAPACITY)
    route = Route(0, (2, 1))

    assert [slots.place(route) for _ in range(5)] == [1, 1, 2, 2, 3]
    assert slots.used == {0: {1: 2, 2: 2, 3: 1}, 1: {1: 2, 2: 2, 3: 1}}
    assert (slots.room(0, 3), slots.room(1, 3), slots.room(3, 1)) == (1, 2, None)


def test_a_layer_reads_the_backlog_below_and_never_writes_it() -> None:
    backlog = Slots(CAPACITY)
    fill_backlog(backlog, [(Route(0, ()), 3)])
    batch = Slots(CAPACITY, backlog)

    assert batch.place(Route(0, ())) == 2
    assert batch.earliest(Route(0, ()), 1) == (3, None)
    assert backlog.used == {0: {1: 2, 2: 1}}
    assert (batch.last_day(Route(0, ())), backlog.last_day(Route(0, ()))) == (2, 2)
    batch.give_back(Route(0, ()), 2, None)
    assert batch.room(0, 2) == 1


def test_a_backlog_fills_in_bulk_as_it_would_one_by_one_and_skips_closed_routes() -> None:
    bulk, single_file = Slots(CAPACITY), Slots(CAPACITY)
    waiting = [(Route(0, (1,)), 5), (Route(None, (1,)), 4), (Route(None, (2,)), 7)]

    fill_backlog(bulk, waiting)
    for waiting_route, count in waiting[:2]:
        for _ in range(count):
            single_file.place(waiting_route)

    assert bulk.used == single_file.used == {0: {1: 2, 2: 2, 3: 1}, 1: {1: 3, 2: 3, 3: 3}}


def test_each_part_of_the_objective_has_its_weight() -> None:
    """One test at B (2 days away, 2,500 CNY, due day 1, finishing on day 4), the other of the
    same sample at the origin A: 1 × 4 days + 4 × 3 days late + 2.6 thousand + 0.5 × 2 shipment
    days + 1 split = 20.6 points; each weight changes its own part only."""
    network = network_of([Lab("A", "X"), Lab("B", "Y")], [
        Capability("A", "tin", True, 100, 1, 1), Capability("B", "lead", True, 2500, 1, 1),
    ], agreements=[("A", "B", None)])
    batch = [TestRequest("t1", "app", "s", "lead", "A", False, 1),
             TestRequest("t2", "app", "s", "tin", "A", False, 1)]

    points = [route(batch, network, weights=weights).objective for weights in (
        Weights(), Weights(completion=2), Weights(tardiness=5), Weights(price_per_1000=2),
        Weights(transport=1.5), Weights(split=3))]

    assert points == pytest.approx([20.6, 24.6, 23.6, 23.2, 22.6, 22.6])


def test_a_bench_shared_by_capabilities_without_their_own_capacity() -> None:
    network = network_of([Lab("A", "X", 2, backlog=1)], [
        Capability("A", "lead", True, 1, 1), Capability("A", "tin", True, 1, 1),
        Capability("A", "zinc", True, 1, 1, daily_capacity=1),
    ], instruments=[Instrument("icp", "A", 1, frozenset({"tin"}))])

    result = route([single("pb1", "lead"), single("pb2", "lead"), single("sn", "tin"),
                    single("zn", "zinc")], network)

    # Lead shares the bench (2 a day, 1 waiting); tin is on the instrument; zinc has its own.
    assert sorted((a.test_id, a.completion_day) for a in result.assignments) == [
        ("pb1", 2), ("pb2", 3), ("sn", 2), ("zn", 2)]
