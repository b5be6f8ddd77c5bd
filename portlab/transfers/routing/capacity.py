"""Capacity where it is: a capability's own daily capacity, the instruments it is measured on
(shared by every capability that uses them) and the lab bench (shared by the capabilities that
state no capacity of their own), day by day.

A test at a capability takes, on one day, a slot of the capability's own capacity (when it
states one) and a slot of one of its pools (an instrument it is measured on, or the lab bench
when it uses no instrument and states no capacity of its own). The backlog takes its slots
first, first come first served; a batch's tests then take the earliest slot left, in the order
the labs work them. An instrument's daily capacity is runs per day × samples per run; routing
lets one run hold tests of several of its capabilities (the queue simulation of predictions
keeps one capability per run), so a part-filled run can make routing's day earlier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Route(NamedTuple):
    """The resources a capability's test needs: its own (or None) and one of its pools."""

    own: int | None
    pools: tuple[int, ...]


_NOTHING: dict[int, int] = {}


class Slots:
    """Slots taken per resource and day, on top of another Slots (the backlog's) if given:
    a resource's row is copied from below the first time this layer takes one of its slots."""

    def __init__(self, capacity: Sequence[int | None], below: Slots | None = None) -> None:
        self.capacity = capacity
        self.below = below
        self.used: dict[int, dict[int, int]] = {}

    def _row(self, resource: int) -> dict[int, int]:
        row = self.used.get(resource)
        if row is None:
            row = self.below.used.get(resource, _NOTHING) if self.below else _NOTHING
        return row

    def _own_row(self, resource: int) -> dict[int, int]:
        row = self.used.get(resource)
        if row is None:
            below = self.below.used.get(resource) if self.below else None
            row = self.used[resource] = dict(below) if below else {}
        return row

    def room(self, resource: int, day: int) -> int | None:
        """Slots left on that day (None: unlimited)."""
        capacity = self.capacity[resource]
        return None if capacity is None else capacity - self._row(resource).get(day, 0)

    def earliest(self, route: Route, from_day: int = 1) -> tuple[int, int | None]:
        """The first day from ``from_day`` with a slot, and the pool that gives it.

        The route must be open (see ``route_is_open``), otherwise no day ever has a slot.
        """
        own, pools = route
        own_capacity = None if own is None else self.capacity[own]
        own_row = _NOTHING if own is None else self._row(own)
        if not pools:  # its own capacity alone (the common case): skip the days it is full
            day = from_day
            if own_capacity is not None:
                while own_row.get(day, 0) >= own_capacity:
                    day += 1
            return day, None
        pool_rows = [(pool, self.capacity[pool] or 0, self._row(pool)) for pool in pools]
        day = from_day
        while True:
            if own_capacity is None or own_row.get(day, 0) < own_capacity:
                if not pool_rows:
                    return day, None
                for pool, capacity, row in pool_rows:
                    if row.get(day, 0) < capacity:
                        return day, pool
            day += 1

    def take(self, route: Route, day: int, pool: int | None, count: int = 1) -> None:
        for resource in (route.own, pool):
            if resource is not None:
                row = self._own_row(resource)
                row[day] = row.get(day, 0) + count

    def give_back(self, route: Route, day: int, pool: int | None) -> None:
        self.take(route, day, pool, -1)

    def last_day(self, route: Route) -> int:
        """The last day on which this layer holds a slot of the route's resources (0: none)."""
        days = [day for resource in (route.own, *route.pools) if resource is not None
                for day, taken in self.used.get(resource, {}).items() if taken > 0]
        return max(days, default=0)

    def place(self, route: Route, from_day: int = 1) -> int:
        """Take the earliest slot of the route and return its day."""
        day, pool = self.earliest(route, from_day)
        self.take(route, day, pool)
        return day


def route_is_open(capacity: Sequence[int | None], route: Route) -> bool:
    """Whether the route ever has a slot: its own capacity is not zero, and when it needs a
    pool, one of its pools has a capacity above zero."""
    if route.own is not None and capacity[route.own] == 0:
        return False
    return not route.pools or any(capacity[pool] != 0 for pool in route.pools)


def _fill_own(slots: Slots, own: int, count: int) -> None:
    """``fill_backlog`` for a route with its own capacity and no pool: day by day."""
    capacity = slots.capacity[own]
    row = slots._own_row(own)
    day = 1
    while count > 0:
        taken = min(count, max(0, capacity - row.get(day, 0)))  # type: ignore[operator]
        if taken:
            row[day] = row.get(day, 0) + taken
            count -= taken
        day += 1


def fill_backlog(slots: Slots, waiting: Iterable[tuple[Route, int]]) -> None:
    """Let each route's waiting tests take their slots, in the order given."""
    for route, count in waiting:
        if not route_is_open(slots.capacity, route):
            continue
        if not route.pools and route.own is not None:
            _fill_own(slots, route.own, count)
            continue
        day = 1
        while count > 0:
            day, pool = slots.earliest(route, day)
            rooms = [slots.room(resource, day) for resource in (route.own, pool)
                     if resource is not None]
            taken = min([count, *(room for room in rooms if room is not None)])
            slots.take(route, day, pool, taken)
            count -= taken
