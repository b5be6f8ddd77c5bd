"""Routing (portlab.transfers.routing): hand-checked instances, rules, bad input, fallback."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from portlab.transfers.routing import (
    Agreement,
    Capability,
    Id,
    Lab,
    RoutingInputError,
    RoutingNetwork,
    RoutingResult,
    RoutingStatus,
    TestRequest,
    UnplacedReason,
    predict_completion,
    route,
    route_greedy,
)

CITY_DAYS = {frozenset({"Tianjin", "Beijing"}): 2, frozenset({"Tianjin", "Ningbo"}): 3}


def transport_days(city_from: str, city_to: str) -> int:
    return 0 if city_from == city_to else CITY_DAYS.get(frozenset({city_from, city_to}), 4)


def every_pair(lab_ids: Sequence[str]) -> list[Agreement]:
    return [(a, b, None) for a in lab_ids for b in lab_ids if a != b]


def single(test_id: str, item: str, due: int, *, origin: str = "A") -> TestRequest:
    """A test that is its application's only test, in its own sample."""
    return TestRequest(test_id, f"app-{test_id}", f"sample-{test_id}", item, origin, False, due)


def placed(result: RoutingResult) -> dict[str, tuple[str, int]]:
    return {str(a.test_id): (str(a.lab_id), a.completion_day) for a in result.assignments}


# Three labs working one test a day; B shares A's city, C is two days away in Beijing.
HAND_NETWORK = RoutingNetwork(
    labs=[Lab("A", "Tianjin", 1), Lab("B", "Tianjin", 1), Lab("C", "Beijing", 1)],
    capabilities=[
        Capability("A", "lead", True, 100, 1),
        Capability("B", "lead", True, 120, 1),
        Capability("A", "cadmium", True, 100, 1),
        Capability("C", "cadmium", True, 100, 1),
        Capability("C", "moisture", True, 100, 1),
    ],
    transport_days=transport_days,
    agreements=every_pair(["A", "B", "C"]),
)
HAND_BATCH = [
    single("t1", "lead", 1),
    single("t2", "cadmium", 2),
    single("t3", "cadmium", 3),
    single("t4", "lead", 4),
    # One sample, two tests: only C can do both; splitting it costs a sub-sample (1 point).
    TestRequest("t5", "app-5", "sample-5", "moisture", "A", False, 0),
    TestRequest("t6", "app-5", "sample-5", "cadmium", "A", False, 0),
]


def test_route_on_the_hand_instance_finds_the_optimum_that_queueing_decides() -> None:
    # The optimum (36.64 points) sends t1 to B although A is cheaper, so that A does the
    # cadmium tests t2 and t3 on queue days 1 and 2 and app-5's cadmium test on day 3. Planned
    # alone, every application wants A; planned again against the others' queues, t4 moves to
    # B and no single application gains by moving t1 (49.62, greedy's answer). Moving single
    # tests against the whole objective then sends t1 to B (t4 behind it, still in time) and
    # app-5's cadmium test to A behind t3, splitting its sample (1 point) to finish 1 day
    # earlier (5 points).
    result = route(HAND_BATCH, HAND_NETWORK)

    assert result.status is RoutingStatus.SOLVED
    assert placed(result) == {
        "t1": ("B", 2), "t2": ("A", 2), "t3": ("A", 3), "t4": ("B", 3),
        "t5": ("C", 4), "t6": ("A", 4),
    }
    assert (result.completion_days, result.late_days) == (2 + 2 + 3 + 3 + 4, 1 + 4)
    # t1 and t4 at B (120 each, same city as A: no shipment), t5's 2-day shipment to C (1
    # point), sample-5 split between C and A (1 point)
    assert result.objective == pytest.approx(14 + 4 * 5 + 0.64 + 1 + 1)
    assert dict(result.application_completion) == {
        "app-t1": 2, "app-t2": 2, "app-t3": 3, "app-t4": 3, "app-5": 4,
    }
    assert result.total_price == 120 + 100 + 100 + 120 + 100 + 100
    # Alone: app-t1 on day 2 (a day late) at A, 6.1 points; app-t2..t4 2.1 each; app-5 whole
    # at C on day 4 (4 days late), 20 + 0.2 + a 2-day shipment (1 point): 21.2.
    assert result.bound == pytest.approx(6.1 + 3 * 2.1 + 21.2)
    assert result.bound <= result.objective
    assert result.gap == pytest.approx((result.objective - result.bound) / result.objective)
    # Every application at its earliest: 2 + 2 + 2 + 2 + 4 days, app-t1 1 day and app-5 4 days
    # late; each test at its cheapest lab (0.6 thousand); app-5's moisture test must go to C,
    # 2 days away: half a shipment of 2 days at 0.5 a day.
    assert result.figures["no_queue_bound"] == pytest.approx(12 + 4 * 5 + 0.6 + 0.5)


def test_route_greedy_on_the_hand_instance() -> None:
    result = route_greedy(HAND_BATCH, HAND_NETWORK)

    assert result.status is RoutingStatus.GREEDY
    assert placed(result) == {
        "t1": ("A", 2), "t2": ("A", 3), "t3": ("A", 4), "t4": ("B", 2),
        "t5": ("C", 4), "t6": ("C", 5),
    }
    assert (result.completion_days, result.late_days) == (2 + 3 + 4 + 2 + 5, 8)


def test_time_limit_passed_returns_the_greedy_answer_with_everything_placed() -> None:
    result = route(HAND_BATCH, HAND_NETWORK, time_limit_seconds=0)

    assert result.status is RoutingStatus.GREEDY_TIME_LIMIT
    assert placed(result) == placed(route_greedy(HAND_BATCH, HAND_NETWORK))
    assert result.completion_days == 16
    # no solver: only the no-queue bound is known
    assert result.bound == result.figures["no_queue_bound"]
    assert result.unplaced == ()


def test_equal_completion_goes_to_the_cheaper_lab() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 5), Lab("B", "Tianjin", 5)],
        capabilities=[Capability("A", "lead", True, 300, 2), Capability("B", "lead", True, 200, 2)],
        transport_days=transport_days,
        agreements=every_pair(["A", "B"]),
    )

    result = route([single("t1", "lead", 5)], network)

    assert placed(result) == {"t1": ("B", 3)}
    assert result.assignments[0].transferred is True
    assert result.total_price == 200


def test_sample_stays_together_when_one_lab_can_do_all_its_tests() -> None:
    # Splitting would finish on day 2 at both labs; together at A the second test waits a day.
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 1), Lab("B", "Tianjin", 1)],
        capabilities=[
            Capability("A", "lead", True, 100, 1),
            Capability("A", "cadmium", True, 100, 1),
            Capability("B", "cadmium", True, 100, 1),
        ],
        transport_days=transport_days,
        agreements=every_pair(["A", "B"]),
    )
    batch = [
        TestRequest("t1", "app", "s1", "lead", "A", False, 5),
        TestRequest("t2", "app", "s1", "cadmium", "A", False, 5),
    ]

    result = route(batch, network)

    assert placed(result) == {"t1": ("A", 2), "t2": ("A", 3)}


def test_sample_is_split_when_no_lab_can_do_all_its_tests() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 1), Lab("B", "Tianjin", 1)],
        capabilities=[
            Capability("A", "lead", True, 100, 1), Capability("B", "cadmium", True, 100, 1)
        ],
        transport_days=transport_days,
        agreements=every_pair(["A", "B"]),
    )
    batch = [
        TestRequest("t1", "app", "s1", "lead", "A", False, 5),
        TestRequest("t2", "app", "s1", "cadmium", "A", False, 5),
    ]

    result = route(batch, network)

    assert placed(result) == {"t1": ("A", 2), "t2": ("B", 2)}


def test_accreditation_required_skips_the_unaccredited_nearer_lab() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 10), Lab("N", "Ningbo", 10)],
        capabilities=[Capability("A", "lead", False, 50, 1), Capability("N", "lead", True, 90, 1)],
        transport_days=transport_days,
        agreements=every_pair(["A", "N"]),
    )
    batch = [
        TestRequest("free", "app1", "s1", "lead", "A", False, 5),
        TestRequest("accredited", "app2", "s2", "lead", "A", True, 5),
    ]

    result = route(batch, network)

    assert placed(result) == {"free": ("A", 2), "accredited": ("N", 5)}


def test_agreement_for_one_item_covers_only_that_item() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 10), Lab("B", "Beijing", 10)],
        capabilities=[
            Capability("B", "lead", True, 90, 1), Capability("B", "cadmium", True, 90, 1)
        ],
        transport_days=transport_days,
        agreements=[("A", "B", "lead")],
    )

    result = route([single("t1", "lead", 5), single("t2", "cadmium", 5)], network)

    assert placed(result) == {"t1": ("B", 4)}
    assert [(u.test_id, u.reason) for u in result.unplaced] == [
        ("t2", UnplacedReason.NO_AGREEMENT)
    ]


def test_agreements_may_be_a_rule() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 10), Lab("B", "Beijing", 10), Lab("C", "Beijing", 10)],
        capabilities=[Capability("B", "lead", True, 90, 1), Capability("C", "lead", True, 10, 1)],
        transport_days=transport_days,
        agreements=lambda origin, target, item: target == "B",
    )

    result = route([single("t1", "lead", 5)], network)

    assert placed(result) == {"t1": ("B", 4)}


UNPLACEABLE_NETWORK = RoutingNetwork(
    labs=[Lab("A", "Tianjin", 10), Lab("B", "Tianjin", 10), Lab("Z", "Tianjin", 0)],
    capabilities=[
        Capability("B", "lead", False, 100, 1),
        Capability("B", "mercury", True, 100, 1),
        Capability("Z", "arsenic", True, 100, 1),
    ],
    transport_days=transport_days,
    agreements=[("A", "Z", None), ("A", "B", "lead")],
    test_item_ids=["lead", "mercury", "arsenic", "tin"],
)


@pytest.mark.parametrize(
    ("test", "reason", "detail"),
    [
        (single("t", "unobtainium", 5), UnplacedReason.UNKNOWN_TEST_ITEM,
         "test item 'unobtainium' is not in the catalogue"),
        (single("t", "lead", 5, origin="Q"), UnplacedReason.UNKNOWN_ORIGIN_LAB,
         "origin lab 'Q' is unknown"),
        (single("t", "tin", 5), UnplacedReason.NO_CAPABILITY,
         "no lab has the capability for 'tin'"),
        (TestRequest("t", "app", "s", "lead", "A", True, 5), UnplacedReason.NO_ACCREDITATION,
         "no lab is accredited for 'lead'"),
        (single("t", "mercury", 5), UnplacedReason.NO_AGREEMENT,
         "no agreement lets lab 'A' transfer 'mercury' to a lab that can do it"),
        (single("t", "arsenic", 5), UnplacedReason.NO_CAPACITY,
         "labs 'Z' have zero daily capacity for 'arsenic'"),
    ],
)
def test_unplaceable_test_is_listed_with_its_reason(
    test: TestRequest, reason: UnplacedReason, detail: str
) -> None:
    result = route([test, single("ok", "lead", 5)], UNPLACEABLE_NETWORK)

    assert [(u.test_id, u.reason, u.detail) for u in result.unplaced] == [("t", reason, detail)]
    assert placed(result) == {"ok": ("B", 2)}  # the valid test is still routed


def test_bad_tests_are_listed_and_nothing_routed_is_lost() -> None:
    batch = [single(f"t{n}", "lead", 5) for n in range(8)]
    batch[2] = single("t2", "unobtainium", 5)
    batch[5] = single("t5", "arsenic", 5)

    result = route(batch, UNPLACEABLE_NETWORK)

    assert result.labs_without_capacity == ("Z",)
    assert [u.test_id for u in result.unplaced] == ["t2", "t5"]
    assert [a.test_id for a in result.assignments] == ["t0", "t1", "t3", "t4", "t6", "t7"]
    assert all(a.lab_id == "B" for a in result.assignments)


def test_zero_capacity_lab_takes_nothing_and_others_do() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 0), Lab("B", "Beijing", 2)],
        capabilities=[Capability("A", "lead", True, 10, 1), Capability("B", "lead", True, 90, 1)],
        transport_days=transport_days,
        agreements=[("A", "B", None)],
    )

    result = route([single(f"t{n}", "lead", 5) for n in range(3)], network)

    assert result.labs_without_capacity == ("A",)
    assert placed(result) == {"t0": ("B", 4), "t1": ("B", 4), "t2": ("B", 5)}


@pytest.mark.parametrize(
    ("network", "batch", "message"),
    [
        (RoutingNetwork([Lab("A", "X", 1), Lab("A", "Y", 1)], [], transport_days), [],
         "lab 'A' is listed twice"),
        (RoutingNetwork([Lab("A", "X", -1)], [], transport_days), [],
         "lab 'A': daily capacity -1 and backlog 0 must be ≥ 0"),
        (RoutingNetwork([Lab("A", "X", 1)], [Capability("B", "lead", True, 1, 1)],
                        transport_days), [],
         "capability names an unknown lab 'B'"),
        (RoutingNetwork([Lab("A", "X", 1)], [], transport_days, [("A", "B", None)]), [],
         "agreement 'A' → 'B' names an unknown lab"),
        (HAND_NETWORK, [single("t1", "lead", 1), single("t1", "lead", 1)],
         "test 't1' is listed twice in the batch"),
        (RoutingNetwork([Lab("A", "X", 1), Lab("B", "Y", 1)],
                        [Capability("B", "lead", True, 1, 1)], lambda a, b: -1,
                        [("A", "B", None)]),
         [single("t1", "lead", 1)], "transport X → Y: -1 days < 0"),
    ],
)
def test_input_no_routing_can_use_raises_a_clear_error(
    network: RoutingNetwork, batch: list[TestRequest], message: str
) -> None:
    with pytest.raises(RoutingInputError) as raised:
        route(batch, network)

    assert str(raised.value) == message


def test_empty_batch() -> None:
    result = route([], HAND_NETWORK)

    assert (result.status, result.assignments, result.objective) == (RoutingStatus.EMPTY, (), 0)


def test_predict_completion_takes_the_latest_test() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 4, backlog=10), Lab("C", "Beijing", 3, backlog=3)],
        capabilities=[Capability("A", "lead", True, 1, 2), Capability("C", "tin", True, 1, 5)],
        transport_days=transport_days,
    )
    tests = [single("t1", "lead", 9), single("t2", "tin", 9)]

    day = predict_completion(tests=tests, lab_of_test={"t1": "A", "t2": "C"}, network=network)

    # t1: ceil(10 / 4) + 2 = 5; t2: 2 days to Beijing + ceil(3 / 3) + 5 = 8.
    assert day == 8


def test_predict_completion_at_a_zero_capacity_lab_is_an_error() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "Tianjin", 0, backlog=3)],
        capabilities=[Capability("A", "lead", True, 1, 2)],
        transport_days=transport_days,
    )

    with pytest.raises(RoutingInputError, match="lab 'A' has zero daily capacity"):
        predict_completion(tests=[single("t1", "lead", 9)], lab_of_test={"t1": "A"},
                           network=network)


def random_instance(seed: int) -> tuple[list[TestRequest], RoutingNetwork]:
    rng = random.Random(seed)
    cities = ["Tianjin", "Beijing", "Ningbo", "Guangzhou"]
    labs = [Lab(f"L{n}", rng.choice(cities), rng.randint(0, 6), rng.randint(0, 12))
            for n in range(30)]
    items = [f"I{n}" for n in range(25)]
    capabilities = [
        Capability(lab.id, item, rng.random() < 0.7, rng.randint(50, 500), rng.randint(1, 5))
        for lab in labs for item in rng.sample(items, 8)
    ]
    agreements: list[Agreement] = [
        (a.id, b.id, None if rng.random() < 0.8 else rng.choice(items))
        for a in labs for b in rng.sample(labs, 6) if a.id != b.id
    ]
    tests: list[TestRequest] = []
    for app in range(90):
        origin = rng.choice(labs).id
        for sample in range(rng.randint(1, 2)):
            for item in rng.sample(items, rng.randint(1, 3)):
                tests.append(TestRequest(len(tests), app, f"{app}-{sample}", item, origin,
                                         rng.random() < 0.5, rng.randint(3, 12)))
    return tests, RoutingNetwork(labs, capabilities, transport_days, agreements)


def _queue_day(test: TestRequest, lab: Lab, network: RoutingNetwork) -> int:
    """Completion minus transport and the lab's fastest allowed turnaround."""
    origin_city = next(o.city for o in network.labs if o.id == test.origin_lab_id)
    turnaround = min(
        c.turnaround_days for c in network.capabilities
        if c.lab_id == lab.id and c.test_item_id == test.test_item_id
        and (c.accredited or not test.requires_accreditation)
    )
    transport = 0 if lab.id == test.origin_lab_id else transport_days(origin_city, lab.city)
    return transport + turnaround


def test_random_instance_respects_every_rule_and_beats_greedy() -> None:
    tests, network = random_instance(seed=3)
    labs = {lab.id: lab for lab in network.labs}
    capability = {(c.lab_id, c.test_item_id, c.accredited) for c in network.capabilities}
    agreements = set(network.agreements)  # type: ignore[arg-type]
    by_id = {test.id: test for test in tests}

    result = route(tests, network)
    greedy = route_greedy(tests, network)

    assert len(result.assignments) + len(result.unplaced) == len(tests)
    assert len(result.assignments) > 200
    queue_days: dict[Id, list[int]] = {}
    for assignment in result.assignments:
        test, lab = by_id[assignment.test_id], labs[assignment.lab_id]
        assert (lab.id, test.test_item_id, True) in capability or (
            not test.requires_accreditation and (lab.id, test.test_item_id, False) in capability
        )
        origin = test.origin_lab_id
        covering = {(origin, lab.id, None), (origin, lab.id, test.test_item_id)}
        assert lab.id == origin or covering & agreements
        day = assignment.completion_day - _queue_day(test, lab, network)
        queue_days.setdefault(lab.id, []).append(day)
    for lab_id, days in queue_days.items():
        lab = labs[lab_id]
        # The k-th test of a lab leaves its queue on day ceil((backlog + k) / capacity).
        assert sorted(days) == [
            math.ceil((lab.backlog + k) / lab.daily_capacity) for k in range(1, len(days) + 1)
        ]
    assert result.bound <= result.objective <= greedy.objective
    assert 0 <= result.gap < 0.25


def test_routing_is_deterministic() -> None:
    tests, network = random_instance(seed=5)

    first, second = route(tests, network), route(tests, network)

    assert (first.assignments, first.unplaced, first.objective, first.bound) == (
        second.assignments, second.unplaced, second.objective, second.bound
    )


def test_routing_does_not_depend_on_string_hashing() -> None:
    # Lab and item ids are strings: set and dict order must never leak into the answer.
    script = (
        "from portlab.transfers.tests.test_routing import random_instance, placed\n"
        "from portlab.transfers.routing import route\n"
        "tests, network = random_instance(seed=5)\n"
        "print(sorted(placed(route(tests, network)).items()))\n"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        outputs.add(subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            cwd=Path(__file__).resolve().parents[3],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout)

    assert len(outputs) == 1
