"""Routing rules pinned for mutation testing, kept apart from test_routing.py.

The rules and the queue model are those of the routing package docstring: a test at position
p of lab l's queue finishes on transport + ceil((backlog + p) / capacity) + turnaround.
"""

from __future__ import annotations

import pytest

from portlab.transfers.routing import (
    Capability,
    Lab,
    RoutingInputError,
    RoutingNetwork,
    TestRequest,
    predict_completion,
    route,
    route_greedy,
)


def two_days_apart(city_from: str, city_to: str) -> int:
    return 0 if city_from == city_to else 2


def single(test_id: str, item: str, *, origin: str = "A", accredited: bool = False,
           due: int | None = None) -> TestRequest:
    return TestRequest(test_id, f"app-{test_id}", f"sample-{test_id}", item, origin,
                       accredited, due)


def network_of(labs: list[Lab], capabilities: list[Capability], **options) -> RoutingNetwork:
    return RoutingNetwork(labs=labs, capabilities=capabilities, transport_days=two_days_apart,
                          **options)


@pytest.mark.parametrize(("lab", "capability", "message"), [
    (Lab("A", "X", 1, backlog=-1), Capability("A", "lead", True, 1, 1),
     "lab 'A': daily capacity 1 and backlog -1 must be ≥ 0"),
    (Lab("A", "X", 1), Capability("A", "lead", True, -1, 1),
     "capability 'A'/'lead': price, turnaround, daily capacity and backlog must be ≥ 0"),
    (Lab("A", "X", 1), Capability("A", "lead", True, 1, -1),
     "capability 'A'/'lead': price, turnaround, daily capacity and backlog must be ≥ 0"),
])
def test_negative_numbers_in_the_network_are_refused(lab, capability, message) -> None:
    with pytest.raises(RoutingInputError) as raised:
        route([single("t1", "lead")], network_of([lab], [capability]))

    assert str(raised.value) == message


def test_zero_price_turnaround_and_backlog_are_valid() -> None:
    network = network_of([Lab("A", "X", 1, backlog=0)], [Capability("A", "lead", True, 0, 0)])

    (assignment,) = route([single("t1", "lead")], network).assignments

    assert (assignment.lab_id, assignment.completion_day, assignment.price) == ("A", 1, 0.0)


def test_a_lab_with_two_capabilities_for_an_item_uses_the_faster_then_the_cheaper() -> None:
    network = network_of([Lab("A", "X", 1)], [
        Capability("A", "lead", True, 50, 3),
        Capability("A", "lead", True, 200, 1),
        Capability("A", "lead", True, 150, 1),
        Capability("A", "tin", True, 80, 2),
        Capability("A", "tin", True, 90, 2),
    ])

    result = route([single("t1", "lead"), single("t2", "tin")], network)

    assert {a.test_id: (a.completion_day, a.price) for a in result.assignments} == {
        "t1": (2, 150.0), "t2": (4, 80.0),
    }


def test_an_accredited_test_uses_the_lab_s_accredited_capability_only() -> None:
    network = network_of([Lab("A", "X", 1)], [
        Capability("A", "lead", False, 10, 1),
        Capability("A", "lead", True, 100, 4),
    ])

    (assignment,) = route([single("t1", "lead", accredited=True)], network).assignments

    assert (assignment.completion_day, assignment.price) == (5, 100.0)


def test_the_first_test_waits_behind_the_backlog() -> None:
    """ceil((backlog + 1) / capacity): 5 waiting at 2 a day, the new test leaves on day 3."""
    network = network_of([Lab("A", "X", 2, backlog=5)], [Capability("A", "lead", True, 1, 1)])

    for result in (route([single("t1", "lead")], network),
                   route_greedy([single("t1", "lead")], network)):
        assert [a.completion_day for a in result.assignments] == [4]


def test_queue_days_count_capacity_per_day() -> None:
    network = network_of([Lab("A", "X", 2, backlog=1)], [Capability("A", "lead", True, 1, 1)])
    batch = [single(f"t{n}", "lead") for n in range(4)]

    result = route(batch, network)

    # positions 1..4 behind 1 waiting at 2 a day: ceil(2/2), ceil(3/2), ceil(4/2), ceil(5/2)
    assert sorted(a.completion_day for a in result.assignments) == [2, 3, 3, 4]
    assert result.completion_days == 2 + 3 + 3 + 4
    assert result.objective == pytest.approx(12 + 4 / 1000)  # no due day; price 1 each


def test_a_transferred_test_pays_transport_and_is_marked() -> None:
    network = network_of([Lab("A", "X", 1), Lab("B", "Y", 1)],
                         [Capability("B", "lead", True, 10, 1)], agreements=[("A", "B", None)])

    (assignment,) = route([single("t1", "lead", due=2)], network).assignments

    assert (assignment.lab_id, assignment.completion_day) == ("B", 4)
    assert (assignment.transferred, assignment.late) == (True, True)


def test_a_test_finishing_on_its_due_day_is_not_late() -> None:
    network = network_of([Lab("A", "X", 1)], [Capability("A", "lead", True, 10, 1)])

    (assignment,) = route([single("t1", "lead", due=2)], network).assignments

    assert (assignment.completion_day, assignment.transferred, assignment.late) == (2, False, False)


def predict(network: RoutingNetwork, tests: list[TestRequest], labs: dict[str, str]) -> int:
    return predict_completion(tests=tests, lab_of_test=labs, network=network)


def test_predicted_completion_at_the_origin_lab_has_no_transport() -> None:
    network = network_of([Lab("A", "X", 3, backlog=7)], [Capability("A", "lead", True, 1, 2)])

    assert predict(network, [single("t1", "lead")], {"t1": "A"}) == 3 + 2  # ceil(7/3) + 2


def test_predicted_completion_elsewhere_adds_transport() -> None:
    network = network_of([Lab("A", "X", 1), Lab("B", "Y", 2, backlog=4)],
                         [Capability("B", "lead", True, 1, 1)])

    assert predict(network, [single("t1", "lead")], {"t1": "B"}) == 2 + 2 + 1


def test_predicted_completion_with_an_accredited_test_uses_the_accredited_offer() -> None:
    network = network_of([Lab("A", "X", 1, backlog=1)], [
        Capability("A", "lead", False, 1, 1), Capability("A", "lead", True, 1, 6),
    ])

    assert predict(network, [single("t1", "lead", accredited=True)], {"t1": "A"}) == 1 + 6


@pytest.mark.parametrize(("tests", "labs", "message"), [
    ([], {}, "an application needs at least one test to predict"),
    ([single("t1", "lead")], {}, "test 't1': lab None or origin lab 'A' is unknown"),
    ([single("t1", "lead")], {"t1": "Q"}, "test 't1': lab 'Q' or origin lab 'A' is unknown"),
    ([single("t1", "lead", origin="Q")], {"t1": "A"},
     "test 't1': lab 'A' or origin lab 'Q' is unknown"),
    ([single("t1", "tin")], {"t1": "A"}, "lab 'A' lacks the capability for 'tin'"),
    ([single("t1", "lead", accredited=True)], {"t1": "A"},
     "lab 'A' lacks an accredited capability for 'lead'"),
])
def test_predictions_that_cannot_be_made_say_why(tests, labs, message) -> None:
    network = network_of([Lab("A", "X", 1)], [Capability("A", "lead", False, 1, 1)])

    with pytest.raises(RoutingInputError) as raised:
        predict(network, tests, labs)

    assert str(raised.value) == message


def one_day_within_a_city(city_from: str, city_to: str) -> int:
    """Across town takes a day; only a test kept at its origin lab travels nowhere."""
    return 1 if city_from == city_to else 3


def test_a_test_kept_at_its_origin_lab_has_no_transport() -> None:
    network = RoutingNetwork(
        labs=[Lab("A", "X", 1), Lab("B", "X", 1)],
        capabilities=[Capability("A", "lead", True, 10, 1), Capability("B", "lead", True, 10, 1)],
        transport_days=one_day_within_a_city, agreements=[("A", "B", None)],
    )

    # a prediction's backlog already counts the test: ceil(0 / 1) = 0 days of queue
    assert predict(network, [single("t1", "lead")], {"t1": "A"}) == 0 + 0 + 1
    assert predict(network, [single("t1", "lead")], {"t1": "B"}) == 1 + 0 + 1
    (assignment,) = route([single("t1", "lead")], network).assignments
    assert (assignment.lab_id, assignment.completion_day) == ("A", 2)


def test_an_unaccredited_test_may_use_an_unaccredited_capability() -> None:
    network = network_of([Lab("A", "X", 1, backlog=2)], [Capability("A", "lead", False, 1, 3)])

    assert predict(network, [single("t1", "lead")], {"t1": "A"}) == 2 + 3


@pytest.mark.parametrize("accredited", [False, True])
def test_a_capable_lab_without_an_agreement_is_a_missing_agreement(accredited: bool) -> None:
    """Whether or not accreditation is asked, the lab B exists and qualifies: what is missing
    is the agreement, not the capability or the accreditation."""
    network = network_of([Lab("A", "X", 1), Lab("B", "Y", 1)],
                         [Capability("B", "lead", accredited, 1, 1)])

    (unplaced,) = route([single("t1", "lead", accredited=accredited)], network).unplaced

    assert (unplaced.reason, unplaced.detail) == (
        "no_agreement", "no agreement lets lab 'A' transfer 'lead' to a lab that can do it",
    )


def test_the_transport_table_asks_each_pair_of_cities_once() -> None:
    asked: list[tuple[str, str]] = []

    def counted(city_from: str, city_to: str) -> int:
        asked.append((city_from, city_to))
        return two_days_apart(city_from, city_to)

    network = RoutingNetwork(
        labs=[Lab("A", "X", 5), Lab("B", "Y", 5)],
        capabilities=[Capability("B", "lead", True, 1, 1), Capability("B", "tin", True, 1, 1)],
        transport_days=counted, agreements=[("A", "B", None)],
    )

    route([single("t1", "lead"), single("t2", "tin"), single("t3", "lead")], network)

    assert asked == [("X", "Y")]


def test_an_agreement_rule_is_asked_about_the_test_item() -> None:
    network = network_of([Lab("A", "X", 1), Lab("B", "Y", 1)], [
        Capability("B", "lead", True, 1, 1), Capability("B", "tin", True, 1, 1),
    ], agreements=lambda origin, target, item: item == "lead")

    result = route([single("t1", "lead"), single("t2", "tin")], network)

    assert [(a.test_id, a.lab_id) for a in result.assignments] == [("t1", "B")]
    assert [(u.test_id, u.reason) for u in result.unplaced] == [("t2", "no_agreement")]


def test_no_capacity_names_every_closed_lab() -> None:
    network = network_of([Lab("A", "X", 0), Lab("B", "Y", 0)], [
        Capability("A", "lead", True, 1, 1), Capability("B", "lead", True, 1, 1),
    ], agreements=[("A", "B", None)])

    (unplaced,) = route([single("t1", "lead")], network).unplaced

    assert (unplaced.reason, unplaced.detail) == (
        "no_capacity", "labs 'A', 'B' have zero daily capacity for 'lead'",
    )


def test_an_agreement_rule_is_asked_about_the_origin_lab() -> None:
    network = network_of([Lab("A", "X", 1), Lab("B", "Y", 1), Lab("C", "Y", 1)],
                         [Capability("B", "lead", True, 1, 1)],
                         agreements=lambda origin, target, item: origin == "A")

    result = route([single("t1", "lead"), single("t2", "lead", origin="C")], network)

    assert [(a.test_id, a.lab_id) for a in result.assignments] == [("t1", "B")]
    assert [(u.test_id, u.reason) for u in result.unplaced] == [("t2", "no_agreement")]


def test_a_prediction_asks_each_pair_of_cities_once() -> None:
    asked: list[tuple[str, str]] = []

    def counted(city_from: str, city_to: str) -> int:
        asked.append((city_from, city_to))
        return two_days_apart(city_from, city_to)

    network = RoutingNetwork(labs=[Lab("A", "X", 1), Lab("B", "Y", 1)],
                             capabilities=[Capability("B", "lead", True, 1, 1)],
                             transport_days=counted)

    day = predict_completion(tests=[single("t1", "lead"), single("t2", "lead")],
                             lab_of_test={"t1": "B", "t2": "B"}, network=network)

    assert (day, asked) == (2 + 0 + 1, [("X", "Y")])
