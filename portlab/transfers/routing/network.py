"""The network indexed for routing: labs by position, offers by item, agreements by origin."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from portlab.transfers.routing.capacity import Route, Slots, fill_backlog, route_is_open
from portlab.transfers.routing.data import (
    Agreement,
    AgreementRule,
    Capability,
    Id,
    Instrument,
    Lab,
    RoutingInputError,
    RoutingNetwork,
    TransportDays,
)


class Offer(NamedTuple):
    """What one lab needs and charges for one item, and the capacity it draws on; compares
    fastest, then cheapest."""

    turnaround: int
    price: float
    route: Route
    open: bool  # its route ever has a slot (see ``route_is_open``)


# NamedTuple's own constructor runs Python code; building the tuple directly is four times
# faster, which matters for the 10^5 offers and options of a national batch.
new_tuple = tuple.__new__


def _keep_better(table: dict[Id, dict[int, Offer]], item: Id, lab: int, offer: Offer) -> None:
    """Keep the lab's fastest, then cheapest, capability for the item."""
    by_lab = table.get(item)
    if by_lab is None:
        table[item] = {lab: offer}
        return
    current = by_lab.get(lab)
    if current is None or offer[:2] < current[:2]:
        by_lab[lab] = offer


class AgreementIndex:
    """Which labs an origin lab may transfer an item to (always itself)."""

    def __init__(
        self, agreements: Collection[Agreement] | AgreementRule, lab_ids: list[Id],
        lab_index: dict[Id, int],
    ) -> None:
        self._lab_ids = lab_ids
        self._rule: AgreementRule | None = None
        self._every_item: dict[int, set[int]] = {}
        self._by_item: dict[tuple[int, Id], set[int]] = {}
        self._sorted_every_item: dict[int, list[int]] = {}
        if callable(agreements):
            self._rule = agreements
            return
        for origin, target, item in agreements:
            if origin not in lab_index or target not in lab_index:
                raise RoutingInputError(f"agreement {origin!r} → {target!r} names an unknown lab")
            origin_index, target_index = lab_index[origin], lab_index[target]
            if item is None:
                self._every_item.setdefault(origin_index, set()).add(target_index)
            else:
                self._by_item.setdefault((origin_index, item), set()).add(target_index)

    def _targets(self, origin: int, item: Id) -> list[int]:
        """The origin lab and every lab its agreements cover for the item, in lab order."""
        every_item = self._sorted_every_item.get(origin)
        if every_item is None:
            every_item = sorted(self._every_item.get(origin, set()) | {origin})
            self._sorted_every_item[origin] = every_item
        for_item = self._by_item.get((origin, item))
        return sorted(for_item.union(every_item)) if for_item else every_item

    def allowed(self, origin: int, item: Id, capable: dict[int, Offer]) -> list[int]:
        """The capable labs the origin lab may send the item to, in lab order."""
        if self._rule is not None:
            rule, ids = self._rule, self._lab_ids
            found = [lab for lab in capable if lab == origin or rule(ids[origin], ids[lab], item)]
            return sorted(found)
        targets = self._targets(origin, item)
        if len(targets) <= len(capable):
            return [lab for lab in targets if lab in capable]
        covered = set(targets)
        return sorted(lab for lab in capable if lab in covered)


class TransportTable:
    """Transport days between cities, asked once per pair of cities."""

    def __init__(self, transport_days: TransportDays) -> None:
        self._transport_days = transport_days
        self._rows: dict[str, dict[str, int]] = {}

    def row(self, city_from: str) -> dict[str, int]:
        """Days from one city, filled as cities are asked for (see ``days``)."""
        return self._rows.setdefault(city_from, {})

    def days(self, city_from: str, city_to: str) -> int:
        row = self.row(city_from)
        days = row.get(city_to)
        if days is None:
            days = int(self._transport_days(city_from, city_to))
            if days < 0:
                raise RoutingInputError(f"transport {city_from} → {city_to}: {days} days < 0")
            row[city_to] = days
        return days


@dataclass(slots=True)
class IndexedNetwork:
    lab_ids: list[Id]
    lab_index: dict[Id, int]
    cities: list[str]
    offers: dict[Id, dict[int, Offer]]  # item → lab → best offer
    accredited_offers: dict[Id, dict[int, Offer]]  # the same, accredited capabilities only
    catalogue: frozenset[Id]
    agreements: AgreementIndex
    transport: TransportTable
    capacity: list[int | None]  # per resource: the lab benches (by lab), capabilities, instruments
    instrument_resources: frozenset[int]
    backlog: Slots  # the slots the waiting tests take
    labs_without_capacity: tuple[Id, ...]
    first_days: dict[Route, int] = field(default_factory=dict)

    def first_day(self, route: Route) -> int:
        """The first day an open route has a slot left by the backlog."""
        day = self.first_days.get(route)
        if day is None:
            day = self.first_days[route] = self.backlog.earliest(route)[0]
        return day

    def is_open(self, route: Route) -> bool:
        return route_is_open(self.capacity, route)

    def instruments_down(self, route: Route) -> bool:
        """The route's own capacity is not zero but every instrument it needs is down."""
        return bool(route.pools) and set(route.pools) <= self.instrument_resources and not (
            self.is_open(route)) and (route.own is None or self.capacity[route.own] != 0)


def _index_labs(labs: Iterable[Lab]) -> tuple[list[Id], dict[Id, int]]:
    lab_ids: list[Id] = []
    lab_index: dict[Id, int] = {}
    for lab in labs:
        if lab.id in lab_index:
            raise RoutingInputError(f"lab {lab.id!r} is listed twice")
        if lab.daily_capacity < 0 or lab.backlog < 0:
            raise RoutingInputError(
                f"lab {lab.id!r}: daily capacity {lab.daily_capacity} and backlog {lab.backlog} "
                "must be ≥ 0"
            )
        lab_index[lab.id] = len(lab_ids)
        lab_ids.append(lab.id)
    return lab_ids, lab_index


class _Resources:
    """Builds the resource list: lab benches first (one per lab), then the rest."""

    def __init__(self, labs: list[Lab]) -> None:
        self.capacity: list[int | None] = [lab.daily_capacity for lab in labs]
        self.instruments: set[int] = set()
        self.pools: dict[tuple[int, Id], tuple[int, ...]] = {}  # (lab, item) → its instruments
        self.bench = [new_tuple(Route, (None, (lab,))) for lab in range(len(labs))]
        self.open_labs = {lab for lab, record in enumerate(labs) if record.daily_capacity}

    def new(self, capacity: int | None) -> int:
        self.capacity.append(capacity)
        return len(self.capacity) - 1

    def add_instruments(self, instruments: Iterable[Instrument], lab_index: dict[Id, int]) -> None:
        seen: set[Id] = set()
        pools: dict[tuple[int, Id], list[int]] = {}
        for instrument in instruments:
            lab = lab_index.get(instrument.lab_id)
            if lab is None or instrument.id in seen or instrument.daily_capacity < 0:
                raise RoutingInputError(
                    f"instrument {instrument.id!r}: unknown lab {instrument.lab_id!r}, listed "
                    "twice, or a daily capacity below 0")
            seen.add(instrument.id)
            resource = self.new(instrument.daily_capacity)
            self.instruments.add(resource)
            for item in instrument.test_item_ids:
                pools.setdefault((lab, item), []).append(resource)
        self.pools = {key: tuple(found) for key, found in pools.items()}

    def route(self, lab: int, capability: Capability) -> Route:
        if (capability.price < 0 or capability.turnaround_days < 0 or capability.backlog < 0
                or (capability.daily_capacity or 0) < 0):
            raise RoutingInputError(
                f"capability {capability.lab_id!r}/{capability.test_item_id!r}: price, "
                "turnaround, daily capacity and backlog must be ≥ 0")
        pools = self.pools.get((lab, capability.test_item_id), ()) if self.pools else ()
        own = capability.daily_capacity
        if own is None and not pools:
            if self.capacity[lab]:
                self.open_labs.add(lab)
            return self.bench[lab]
        if own != 0 and (not pools or any(self.capacity[pool] for pool in pools)):
            self.open_labs.add(lab)
        return new_tuple(Route, (None if own is None else self.new(own), pools))


def _index_offers(
    capabilities: Iterable[Capability], lab_index: dict[Id, int], resources: _Resources
) -> tuple[dict[Id, dict[int, Offer]], dict[Id, dict[int, Offer]], list[tuple[Route, int]]]:
    offers: dict[Id, dict[int, Offer]] = {}
    accredited: dict[Id, dict[int, Offer]] = {}
    waiting: list[tuple[Route, int]] = []
    capacity, new_route = resources.capacity, resources.route
    for capability in capabilities:
        lab = lab_index.get(capability.lab_id)
        if lab is None:
            raise RoutingInputError(f"capability names an unknown lab {capability.lab_id!r}")
        route = new_route(lab, capability)
        if capability.backlog:
            waiting.append((route, capability.backlog))
        offer = new_tuple(Offer, (int(capability.turnaround_days), float(capability.price), route,
                                  route_is_open(capacity, route)))
        item = capability.test_item_id
        _keep_better(offers, item, lab, offer)
        if capability.accredited:
            _keep_better(accredited, item, lab, offer)
    return offers, accredited, waiting


def index_network(network: RoutingNetwork) -> IndexedNetwork:
    """Check the network and index it; raise RoutingInputError on what cannot be routed on."""
    labs = list(network.labs)
    lab_ids, lab_index = _index_labs(labs)
    resources = _Resources(labs)
    resources.add_instruments(network.instruments, lab_index)
    offers, accredited, waiting = _index_offers(network.capabilities, lab_index, resources)
    backlog = Slots(resources.capacity)
    bench = [(resources.bench[lab], record.backlog) for lab, record in enumerate(labs)]
    fill_backlog(backlog, bench + waiting)
    catalogue = network.test_item_ids
    return IndexedNetwork(
        lab_ids=lab_ids,
        lab_index=lab_index,
        cities=[lab.city for lab in labs],
        offers=offers,
        accredited_offers=accredited,
        catalogue=frozenset(offers if catalogue is None else catalogue),
        agreements=AgreementIndex(network.agreements, lab_ids, lab_index),
        transport=TransportTable(network.transport_days),
        capacity=resources.capacity,
        instrument_resources=frozenset(resources.instruments),
        backlog=backlog,
        labs_without_capacity=tuple(
            lab_id for lab, lab_id in enumerate(lab_ids) if lab not in resources.open_labs),
    )
