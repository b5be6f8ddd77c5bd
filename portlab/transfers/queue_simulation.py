"""A lab's queues, simulated day by day (pure Python, no Django).

Capacity sits where the work is done. A capability (test item × method × lab) starts at most
``daily_capacity`` tests a working day (its analysts' bench time). A capability measured on an
instrument is also limited by the instrument: ``runs_per_day`` runs of at most
``samples_per_run`` tests each, one capability per run (one method, one batch), shared by every
capability that uses the instrument. Waiting tests start by priority (higher first), then first
come, first served. A test started on working day ``d`` is complete on day ``d + processing``
(its standard turnaround). Day 0 is the day of the prediction; when part of its working hours
has passed, it offers that share of a day's capacity (``Plan.first_day_share``).

The same ``QueueState.step`` drives the prediction (nominal capacities, no future arrivals)
and the benchmark's history (which adds bursts, downtime, absences and retests the prediction
does not know): the prediction is the state as it stands, played forward.

An instrument down at prediction time (out of service, under calibration) runs again from
its ``back_on`` working day: the prediction knows the instrument is down today, not when it
will be repaired, so the caller passes an expected return (PortLab: the lab's, learned nightly
from its instruments' status record, else ``RETURN_DAYS``, fitted by bench/bench_prediction.py
on the earlier part of its generated history).

A test whose capability has no capacity, or whose instruments are all down for the whole
horizon (retired), is never started: ``simulate`` returns ``None`` for it ("cannot be
predicted"), and never a made-up day.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time

HORIZON_DAYS = 250  # a working year: past it a test counts as never starting
# Working days until an instrument that is down today runs again, when nothing better is known:
# the median remaining downtime on the days an instrument was down in the fitting period of
# bench/bench_prediction.py (generated history; used until `portlab lateness-fit` has learned a
# lab's, or the network's, from the instruments' status record: transfers/downtime_fits.py).
RETURN_DAYS = 3


@dataclass(frozen=True, slots=True)
class Job:
    key: Hashable
    capability: Hashable
    processing_days: int
    priority: int = 0
    order: float = 0.0  # arrival: first come, first served within a priority


@dataclass(frozen=True, slots=True)
class Instrument:
    key: Hashable
    runs_per_day: int
    samples_per_run: int
    capabilities: frozenset
    back_on: int = 0  # first working day (0 = today) it runs; HORIZON_DAYS or more: never


@dataclass(frozen=True, slots=True)
class Plan:
    """Nominal capacities: per capability, and the instruments shared by capabilities.
    `first_day_share` is the share of day 0's working hours still ahead (1: the day has not
    begun): day 0's capacities and runs are that share of a whole day's, rounded."""

    capability_capacity: Mapping[Hashable, int]
    instruments: tuple[Instrument, ...] = ()
    first_day_share: float = 1.0

    def on_instrument(self) -> frozenset:
        return frozenset(c for i in self.instruments for c in i.capabilities)

    def capacity_on(self, day: int) -> dict[Hashable, int] | None:
        """Each capability's capacity on working `day`; None: as planned."""
        if day > 0 or self.first_day_share >= 1:
            return None
        return {c: _share(k, self.first_day_share) for c, k in self.capability_capacity.items()}

    def runs_on(self, day: int) -> dict[Hashable, int] | None:
        """Each instrument's runs on working `day`: none before it is back; None when every
        instrument runs as planned."""
        share = self.first_day_share if day == 0 else 1.0
        if share >= 1 and all(i.back_on <= day for i in self.instruments):
            return None
        return {i.key: 0 if day < i.back_on else _share(i.runs_per_day, share)
                for i in self.instruments}


def _share(count: int, share: float) -> int:
    return int(count * share + 0.5)


def working_day_left(now: time, start: time, end: time) -> float:
    """Share of a working day from `start` to `end` still ahead at `now` (0 after it ends)."""
    def minutes(moment: time) -> float:
        return moment.hour * 60 + moment.minute + moment.second / 60

    length = minutes(end) - minutes(start)
    if length <= 0:
        raise ValueError(f"the working day ends ({end}) before it starts ({start})")
    return min(1.0, max(0.0, (minutes(end) - minutes(now)) / length))


@dataclass
class QueueState:
    """Tests waiting per capability, in the order they will start."""

    waiting: dict[Hashable, list] = field(default_factory=dict)
    _tie: itertools.count = field(default_factory=itertools.count)

    def add(self, job: Job) -> None:
        heap = self.waiting.setdefault(job.capability, [])
        heapq.heappush(heap, (-job.priority, job.order, next(self._tie), job))

    def copy(self) -> QueueState:
        return QueueState({c: list(h) for c, h in self.waiting.items()}, itertools.count(
            next(self._tie)))

    def __len__(self) -> int:
        return sum(len(h) for h in self.waiting.values())

    def step(self, plan: Plan, capacity: Mapping[Hashable, int] | None = None,
             runs: Mapping[Hashable, int] | None = None) -> list[Job]:
        """Start one working day's tests; `capacity`/`runs` override the plan for this day
        (an absence, an instrument down). Returns the tests started."""
        room = dict(plan.capability_capacity if capacity is None else capacity)
        started: list[Job] = []
        for instrument in plan.instruments:
            count = instrument.runs_per_day if runs is None else runs.get(instrument.key, 0)
            for _ in range(count):
                if not self._run(instrument, room, started):
                    break
        bound = plan.on_instrument()
        for capability, heap in self.waiting.items():
            if capability not in bound:
                self._take(heap, min(room.get(capability, 0), len(heap)), started)
        return started

    def _run(self, instrument: Instrument, room: dict, started: list[Job]) -> bool:
        """One run: the capability whose first waiting test comes first fills the batch."""
        heads = [(heap[0], capability) for capability in instrument.capabilities
                 if (heap := self.waiting.get(capability)) and room.get(capability, 0) > 0]
        if not heads:
            return False
        _, capability = min(heads, key=lambda head: head[0][:3])
        heap = self.waiting[capability]
        taken = min(instrument.samples_per_run, room[capability], len(heap))
        room[capability] -= taken
        self._take(heap, taken, started)
        return True

    @staticmethod
    def _take(heap: list, count: int, started: list[Job]) -> None:
        for _ in range(count):
            started.append(heapq.heappop(heap)[3])


def simulate(state: QueueState, plan: Plan, jobs: Iterable[Job],
             horizon: int = HORIZON_DAYS) -> dict[Hashable, int | None]:
    """Completion day of each of `jobs` added to (a copy of) `state`, with nominal capacity
    (instruments down until their `back_on` day) and no later arrivals; None for a job that
    cannot start within the horizon."""
    state = state.copy()
    pending: dict[Hashable, int | None] = {}
    for job in jobs:
        state.add(job)
        pending[job.key] = None
    finished: dict[Hashable, int | None] = dict(pending)
    remaining = set(pending)
    for day in range(horizon):
        if not remaining:
            break
        for job in state.step(plan, plan.capacity_on(day), plan.runs_on(day)):
            if job.key in remaining:
                finished[job.key] = day + job.processing_days
                remaining.discard(job.key)
    return finished


@dataclass(frozen=True, slots=True)
class Lateness:
    """How late a test completes against its simulated day, learned from completed history:
    `shares[i]` is the share of tests that completed `first + i` working days after their
    simulated day (the last share: that many or more). An application completes with its latest
    test, each test late on its own: `quantile` reads that latest day's distribution. `low` and
    `high` are the levels of the 80 % interval, calibrated on a later slice of the history than
    the shares (whole days and tests that are not independent make 0.1/0.9 cover more)."""

    first: int
    shares: tuple[float, ...]
    low: float = 0.1
    high: float = 0.9

    def at_most(self, late: int) -> float:
        """Share of tests completing at most `late` days after their simulated day."""
        return sum(self.shares[:max(0, late - self.first + 1)])


LATEST_LATENESS = 12  # lateness is counted up to this many working days (and more)


def lateness_count(late: Iterable[int], latest: int = LATEST_LATENESS) -> Lateness:
    """The shares of tests completing k working days after their simulated day (`late`: each
    test's k), from the earliest k seen to `latest`, which gathers every later test. The
    interval's levels are left at 0.1 and 0.9 (a caller calibrates them)."""
    counts = Counter(min(k, latest) for k in late)
    if not counts:
        raise ValueError("no completed test to count")
    first, total = min(counts), sum(counts.values())
    return Lateness(first, tuple(counts[k] / total for k in range(first, latest + 1)))


# From bench/bench_prediction.py's fit on the earlier part of its generated history (seed 15;
# the held-out later part measures them, see the README's Benchmarks). Generated, not a real
# lab's history: predictions use it only until `portlab lateness-fit` has learned a table from
# the lab's (or the network's) own completed tests (transfers/forecasts.py).
DEFAULT_LATENESS = Lateness(-3, (
    0.0001, 0.0072, 0.0128, 0.7246, 0.1019, 0.0837, 0.0193, 0.0136, 0.0159, 0.0069, 0.0070,
    0.0025, 0.0011, 0.0013, 0.0006, 0.0014), 0.21, 0.86)


@dataclass(frozen=True, slots=True)
class DayRange:
    """A predicted completion in working days from today, with its 80 % interval."""

    day: int
    low: int
    high: int


def completion_range(test_days: Iterable[int],
                     lateness: Lateness = DEFAULT_LATENESS) -> DayRange:
    """The day the latest of these tests completes (each test's simulated working day, late by
    `lateness`): its median, and its `lateness.low`-`lateness.high` interval; never before
    today."""
    return mixed_completion_range({lateness: test_days})


def mixed_completion_range(test_days: Mapping[Lateness, Iterable[int]]) -> DayRange:
    """`completion_range` for tests late by different tables (each lab's own): table → the
    simulated working days of the tests it applies to. The interval's levels are those of the
    table holding the most tests."""
    counted = {table: Counter(days) for table, days in test_days.items()}
    counted = {table: counts for table, counts in counted.items() if counts}
    if not counted:
        raise ValueError("no test to predict")
    levels = max(counted, key=lambda table: sum(counted[table].values()))
    first = min(min(counts) + table.first for table, counts in counted.items())
    last = max(max(counts) + table.first + len(table.shares) - 1
               for table, counts in counted.items())

    def quantile(level: float) -> int:
        for day in range(first, last + 1):
            chance = 1.0
            for table, counts in counted.items():
                chance *= all_done_by(counts, day, table)
            if chance >= level - 1e-12:
                return max(0, day)
        return max(0, last)

    return DayRange(quantile(0.5), quantile(levels.low), quantile(levels.high))


def all_done_by(test_days: Counter, day: int, lateness: Lateness = DEFAULT_LATENESS) -> float:
    """Chance that every test (simulated working day → number of tests) completes by `day`."""
    chance = 1.0
    for simulated, count in test_days.items():
        chance *= lateness.at_most(day - simulated) ** count
    return chance
