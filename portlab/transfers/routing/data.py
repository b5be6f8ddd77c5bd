"""Inputs and outputs of routing: plain, immutable dataclasses with no Django import."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

Id: TypeAlias = int | str
TransportDays: TypeAlias = Callable[[str, str], int]
AgreementRule: TypeAlias = Callable[[Id, Id, Id], bool]
# (origin lab, target lab, test item or None for every item)
Agreement: TypeAlias = tuple[Id, Id, Id | None]


class RoutingInputError(ValueError):
    """Input that no routing can be built on (duplicate ids, negative numbers, dangling refs)."""


class UnplacedReason(enum.StrEnum):
    """Why a test could not be sent to any lab, checked in this order."""

    UNKNOWN_TEST_ITEM = "unknown_test_item"
    UNKNOWN_ORIGIN_LAB = "unknown_origin_lab"
    NO_CAPABILITY = "no_capability"
    NO_ACCREDITATION = "no_accreditation"
    NO_AGREEMENT = "no_agreement"
    NO_CAPACITY = "no_capacity"
    INSTRUMENT_DOWN = "instrument_down"


class RoutingStatus(enum.StrEnum):
    SOLVED = "solved"  # the applications were planned; the better of their routing and greedy's
    GREEDY_TIME_LIMIT = "greedy_time_limit"  # the limit passed before they were planned
    GREEDY = "greedy"  # the greedy baseline was asked for
    EMPTY = "empty"  # nothing to place


@dataclass(frozen=True, slots=True)
class TestRequest:
    """One test of a sample, to be sent to a lab."""

    __test__ = False  # pytest: this is not a test class

    id: Id
    application_id: Id
    sample_id: Id
    test_item_id: Id
    origin_lab_id: Id
    requires_accreditation: bool = False
    due_day: int | None = None


@dataclass(frozen=True, slots=True)
class Lab:
    """A lab and its bench: ``daily_capacity`` tests a day shared by the capabilities that
    state no capacity of their own and use no instrument; ``backlog`` tests of those waiting."""

    id: Id
    city: str
    daily_capacity: int = 0
    backlog: int = 0


@dataclass(frozen=True, slots=True)
class Capability:
    """A lab can test an item; price in the network's currency, turnaround in days."""

    lab_id: Id
    test_item_id: Id
    accredited: bool
    price: float
    turnaround_days: int
    daily_capacity: int | None = None  # tests a day its analysts start; None: the lab bench's
    backlog: int = 0  # its tests already waiting


@dataclass(frozen=True, slots=True)
class Instrument:
    """An instrument shared by the lab's capabilities for ``test_item_ids``; its daily
    capacity is runs per day × samples per run, 0 when it is out of service."""

    id: Id
    lab_id: Id
    daily_capacity: int
    test_item_ids: frozenset[Id]


@dataclass(frozen=True, slots=True)
class Weights:
    """The objective's weights, in points (see the package docstring)."""

    completion: int = 1  # per application, per day to its completion
    tardiness: int = 4  # per application, per day past its due day
    price_per_1000: float = 1.0  # per 1,000 of price
    transport: float = 0.5  # per shipment (an application's tests sent to one other lab), per day
    split: float = 1.0  # per sample, per lab beyond the first its tests go to (a sub-sample)


@dataclass(frozen=True, slots=True)
class RoutingNetwork:
    """The labs, what they can do, how far apart they are and who recognises whom.

    ``agreements`` is either a collection of ``(origin_lab, target_lab, test_item | None)``
    (``None`` covering every item, direction origin → target) or a predicate of the same three
    arguments. ``test_item_ids`` is the catalogue; when omitted, the items of the capabilities.
    """

    labs: Collection[Lab]
    capabilities: Collection[Capability]
    transport_days: TransportDays
    agreements: Collection[Agreement] | AgreementRule = ()
    test_item_ids: Collection[Id] | None = None
    instruments: Collection[Instrument] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    test_id: Id
    lab_id: Id
    completion_day: int
    price: float
    transferred: bool  # done by another lab than the origin lab, under an agreement
    late: bool  # completion_day after the test's due_day


@dataclass(frozen=True, slots=True)
class UnplacedTest:
    test_id: Id
    reason: UnplacedReason
    detail: str


@dataclass(frozen=True, slots=True)
class RoutingResult:
    """A routing of one batch.

    ``objective`` is the weighted objective in points (see the package docstring), the
    quantity routing minimises; ``bound`` is a proven lower bound on it over every routing
    of the batch to any lab allowed by the rules, and ``gap`` = (objective - bound) / objective.
    ``completion_days`` is the sum over applications of their completion day, ``late_days``
    the sum of their days past due.
    """

    status: RoutingStatus
    assignments: tuple[Assignment, ...]
    unplaced: tuple[UnplacedTest, ...]
    objective: float
    bound: float
    gap: float
    total_price: float
    application_completion: Mapping[Id, int]
    labs_without_capacity: tuple[Id, ...]
    seconds: float
    figures: Mapping[str, float] = field(default_factory=dict)
    completion_days: int = 0
    late_days: int = 0
