"""The network indexed for routing: labs by position, offers by item, agreements by origin."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from portlab.transfers.routing.data import (
    Agreement,
    AgreementRule,
    Capability,
    Id,
    Lab,
    RoutingInputError,
    RoutingNetwork,
    TransportDays,
)


class Offer(NamedTuple):
    """What one lab needs and charges for one item; compares fastest, then cheapest."""

    turnaround: int
    price: float


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
    if current is None or offer < current:
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
    capacity: list[int]
    backlog: list[int]
    first_day: list[int]  # the day a test joining the queue now would leave it (capacity > 0)
    offers: dict[Id, dict[int, Offer]]  # item → lab → best offer
    accredited_offers: dict[Id, dict[int, Offer]]  # the same, accredited capabilities only
    catalogue: frozenset[Id]
    agreements: AgreementIndex
    transport: TransportTable

    @property
    def labs_without_capacity(self) -> tuple[Id, ...]:
        return tuple(lab for lab, capacity in zip(self.lab_ids, self.capacity, strict=True)
                     if capacity == 0)


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


def _index_offers(
    capabilities: Iterable[Capability], lab_index: dict[Id, int]
) -> tuple[dict[Id, dict[int, Offer]], dict[Id, dict[int, Offer]]]:
    offers: dict[Id, dict[int, Offer]] = {}
    accredited: dict[Id, dict[int, Offer]] = {}
    for capability in capabilities:
        lab = lab_index.get(capability.lab_id)
        if lab is None:
            raise RoutingInputError(f"capability names an unknown lab {capability.lab_id!r}")
        offer = new_tuple(Offer, (int(capability.turnaround_days), float(capability.price)))
        if offer.price < 0 or offer.turnaround < 0:
            raise RoutingInputError(
                f"capability {capability.lab_id!r}/{capability.test_item_id!r}: "
                "price and turnaround must be ≥ 0"
            )
        _keep_better(offers, capability.test_item_id, lab, offer)
        if capability.accredited:
            _keep_better(accredited, capability.test_item_id, lab, offer)
    return offers, accredited


def index_network(network: RoutingNetwork) -> IndexedNetwork:
    """Check the network and index it; raise RoutingInputError on what cannot be routed on."""
    labs = list(network.labs)
    lab_ids, lab_index = _index_labs(labs)
    offers, accredited = _index_offers(network.capabilities, lab_index)
    catalogue = network.test_item_ids
    return IndexedNetwork(
        lab_ids=lab_ids,
        lab_index=lab_index,
        cities=[lab.city for lab in labs],
        capacity=[lab.daily_capacity for lab in labs],
        backlog=[lab.backlog for lab in labs],
        first_day=[-(-(lab.backlog + 1) // lab.daily_capacity) if lab.daily_capacity else 0
                   for lab in labs],
        offers=offers,
        accredited_offers=accredited,
        catalogue=frozenset(offers if catalogue is None else catalogue),
        agreements=AgreementIndex(network.agreements, lab_ids, lab_index),
        transport=TransportTable(network.transport_days),
    )

