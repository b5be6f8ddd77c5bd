"""A batch made ready to route: which labs may take each test, bundles, applications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from portlab.transfers.routing.capacity import Route
from portlab.transfers.routing.data import (
    Id,
    RoutingInputError,
    TestRequest,
    UnplacedReason,
    UnplacedTest,
)
from portlab.transfers.routing.network import IndexedNetwork, Offer, new_tuple

NO_DUE_DAY = 10**9


class Option(NamedTuple):
    """A lab that may take a test, with what it costs there."""

    lab: int
    price: float
    transport: int
    turnaround: int
    earliest: int  # completion day were the test first in the lab's batch queue
    route: Route


class Refusal(NamedTuple):
    reason: UnplacedReason
    detail: str


@dataclass(frozen=True, slots=True)
class Bundle:
    """The tests of one sample; ``common`` lists the labs that can do all of them."""

    tests: tuple[int, ...]
    common: tuple[int, ...]
    priority: tuple[int, int, int]  # earliest due day, application, first position


@dataclass(slots=True)
class Problem:
    net: IndexedNetwork
    tests: list[TestRequest]  # the placeable tests, in batch order
    options: list[dict[int, Option]]  # per placeable test: lab → option
    app_of: list[int]  # per placeable test: application position
    app_ids: list[Id]
    app_size: list[int]  # placeable tests per application
    bundles: list[Bundle]
    unplaced: list[UnplacedTest]
    earliest: list[int]  # per placeable test: its earliest completion at any allowed lab
    app_due: list[int | None]  # per application: the earliest due day of its tests
    app_tests: list[list[int]]  # per application: its placeable tests, in batch order


def due_day(test: TestRequest) -> int:
    return NO_DUE_DAY if test.due_day is None else test.due_day


def _capable_offers(net: IndexedNetwork, item: Id, needs_accreditation: bool) -> dict[int, Offer]:
    offers = net.accredited_offers if needs_accreditation else net.offers
    return offers.get(item, {})


def _refusal(net: IndexedNetwork, origin_id: Id, item: Id, needs_accreditation: bool) -> Refusal:
    """Why no capable lab is left, for a test whose origin lab and item are known."""
    if not net.offers.get(item):
        return Refusal(UnplacedReason.NO_CAPABILITY, f"no lab has the capability for {item!r}")
    if needs_accreditation and not net.accredited_offers.get(item):
        return Refusal(UnplacedReason.NO_ACCREDITATION, f"no lab is accredited for {item!r}")
    return Refusal(
        UnplacedReason.NO_AGREEMENT,
        f"no agreement lets lab {origin_id!r} transfer {item!r} to a lab that can do it",
    )


def eligible_options(
    net: IndexedNetwork, origin_id: Id, item: Id, needs_accreditation: bool
) -> list[Option] | Refusal:
    """The labs a test may go to, or the first rule (in UnplacedReason order) that leaves none."""
    if item not in net.catalogue:
        return Refusal(
            UnplacedReason.UNKNOWN_TEST_ITEM, f"test item {item!r} is not in the catalogue"
        )
    origin = net.lab_index.get(origin_id)
    if origin is None:
        return Refusal(UnplacedReason.UNKNOWN_ORIGIN_LAB, f"origin lab {origin_id!r} is unknown")
    capable = _capable_offers(net, item, needs_accreditation)
    allowed = net.agreements.allowed(origin, item, capable) if capable else []
    if not allowed:
        return _refusal(net, origin_id, item, needs_accreditation)
    open_labs = [lab for lab in allowed if capable[lab].open]
    if not open_labs:
        closed = ", ".join(repr(net.lab_ids[lab]) for lab in allowed)
        if all(net.instruments_down(capable[lab].route) for lab in allowed):
            return Refusal(UnplacedReason.INSTRUMENT_DOWN,
                           f"labs {closed}: every instrument measuring {item!r} is down")
        return Refusal(UnplacedReason.NO_CAPACITY,
                       f"labs {closed} have zero daily capacity for {item!r}")
    return _options(net, origin, capable, open_labs)


def _options(
    net: IndexedNetwork, origin: int, capable: dict[int, Offer], labs: list[int]
) -> list[Option]:
    origin_city, cities = net.cities[origin], net.cities
    known_days = net.transport.row(origin_city)
    options = []
    for lab in labs:
        offer = capable[lab]
        transport = 0 if lab == origin else known_days.get(cities[lab])
        if transport is None:
            transport = net.transport.days(origin_city, cities[lab])
        first_day = net.first_day(offer.route)
        earliest = transport + first_day + offer.turnaround
        options.append(new_tuple(Option, (
            lab, offer.price, transport, offer.turnaround, earliest, offer.route)))
    return options


def _split_batch(
    net: IndexedNetwork, tests: Sequence[TestRequest]
) -> tuple[list[TestRequest], list[dict[int, Option]], list[UnplacedTest]]:
    seen: set[Id] = set()
    cache: dict[tuple[Id, Id, bool], list[Option] | Refusal] = {}
    placeable: list[TestRequest] = []
    options: list[dict[int, Option]] = []
    unplaced: list[UnplacedTest] = []
    for test in tests:
        if test.id in seen:
            raise RoutingInputError(f"test {test.id!r} is listed twice in the batch")
        seen.add(test.id)
        key = (test.origin_lab_id, test.test_item_id, test.requires_accreditation)
        if key not in cache:
            cache[key] = eligible_options(net, *key)
        found = cache[key]
        if isinstance(found, Refusal):
            unplaced.append(UnplacedTest(test.id, found.reason, found.detail))
        else:
            placeable.append(test)
            options.append({option.lab: option for option in found})
    return placeable, options, unplaced


def _bundles(
    tests: list[TestRequest], options: list[dict[int, Option]], app_of: list[int]
) -> list[Bundle]:
    members: dict[tuple[Id, Id], list[int]] = {}
    for position, test in enumerate(tests):
        members.setdefault((test.application_id, test.sample_id), []).append(position)
    bundles = []
    for positions in members.values():
        common = set(options[positions[0]])
        for position in positions[1:]:
            common.intersection_update(options[position])
        due = min(due_day(tests[position]) for position in positions)
        priority = (due, app_of[positions[0]], positions[0])
        bundles.append(Bundle(tuple(positions), tuple(sorted(common)), priority))
    return bundles


def build_problem(net: IndexedNetwork, tests: Sequence[TestRequest]) -> Problem:
    """Sort the batch into placeable tests (with their options) and unplaced ones."""
    placeable, options, unplaced = _split_batch(net, tests)
    app_position: dict[Id, int] = {}
    app_of = [app_position.setdefault(t.application_id, len(app_position)) for t in placeable]
    app_tests: list[list[int]] = [[] for _ in app_position]
    app_due: list[int | None] = [None] * len(app_position)
    for position, (app, test) in enumerate(zip(app_of, placeable, strict=True)):
        app_tests[app].append(position)
        if test.due_day is not None:
            current = app_due[app]
            app_due[app] = test.due_day if current is None else min(current, test.due_day)
    return Problem(
        net=net,
        tests=placeable,
        options=options,
        app_of=app_of,
        app_ids=list(app_position),
        app_size=[len(members) for members in app_tests],
        bundles=_bundles(placeable, options, app_of),
        unplaced=unplaced,
        earliest=[min(option.earliest for option in found.values()) for found in options],
        app_due=app_due,
        app_tests=app_tests,
    )
