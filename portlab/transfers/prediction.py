"""When will an application be complete? The one place a completion date is computed.

The quote before filing, the application page and the API all call this module. Each lab's
waiting tests are played forward by `queue_simulation` with the capacity where it is: per
capability (daily capacity) and per instrument (runs per day × samples per run, shared by the
capabilities measured on it). Waiting tests start by their application's priority (urgent
first), then first come, first served. Days are counted in the network's working-day
calendar (official notices, 调休 included) and the lab's working hours: today offers the share
of its capacity left in the working day, and work filed after closing time starts counting on
the next working day. A date counted through a year without a notice is provisional. The
date and its 80 % interval allow for tests completing late: each lab's newest lateness table
learned from its own completed tests (`transfers.forecasts`), else the network's, else
`queue_simulation.DEFAULT_LATENESS` (generated history); the prediction says which.

A test already with an analyst finishes on its due date (today, if late); a test in transfer
adds the transport days before the receiving lab's queue. An instrument out of service or
under calibration today is expected back after the working days its lab's instruments stayed
down (`downtime_fits`), else the network's, else `queue_simulation.RETURN_DAYS`; the
prediction says which. A test whose capability has no capacity, or whose instruments are all
retired, cannot be predicted: the application then has no date, and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.utils import timezone

from portlab.instruments.models import Instrument
from portlab.instruments.selectors import DOWN
from portlab.network.models import Capability, Lab
from portlab.network.selectors import capabilities_for_items
from portlab.testing.models import Test
from portlab.transfers import queue_simulation as queues
from portlab.transfers.models import Transfer
from portlab.transfers.routing_service import (
    DEFAULT_TRANSPORT,
    TransportRule,
    instrument_capacity,
)
from portlab.transfers.selectors import (
    DowntimeBasis,
    LatenessBasis,
    downtime_bases,
    lateness_bases,
)
from portlab.workdays.rules import WorkCalendar
from portlab.workdays.selectors import work_calendar

STARTED = ("assigned", "resulted", "reviewed")


@dataclass(frozen=True, slots=True)
class TestForecast:
    __test__ = False  # pytest: not a test class

    label: str  # sample number and item code (the API's name for the test)
    lab: Lab
    date: date | None  # None: cannot be predicted (no capacity)
    basis: str  # done, started, queue, transfer, no_capacity
    day: int | None = None  # working days from today; None when done or not predictable
    name: str = ""  # what the page shows: the item's name in the reader's language


@dataclass(frozen=True, slots=True)
class Prediction:
    date: dt.date | None
    made_on: dt.date
    tests: list[TestForecast]
    low: dt.date | None = None
    high: dt.date | None = None
    working_days: int = 0
    provisional: bool = False
    blocked: list[str] = field(default_factory=list)
    # the lateness tables the date allows for, one per source (usually the lab's alone)
    lateness: tuple[LatenessBasis, ...] = ()
    # the expected return of a down instrument at each lab whose queue was played forward
    downtime: tuple[DowntimeBasis, ...] = ()
    # a requested application's (or quote's) tests: (sample position, test item id) → the
    # working day its lab's queue finishes it, before lateness; none for one not predictable
    simulated: dict[tuple[int, int], dt.date] = field(default_factory=dict)

    @property
    def days(self) -> int | None:
        return None if self.date is None else (self.date - self.made_on).days


def back_on(status: str, return_days: int) -> int:
    """The working day an instrument runs again: today in service; after `return_days` out of
    service or under calibration; never (the horizon) retired."""
    if status == Instrument.Status.IN_SERVICE:
        return 0
    return return_days if status in DOWN else queues.HORIZON_DAYS


def capacity_plan(lab_id: int, first_day_share: float = 1.0) -> queues.Plan:
    """The lab's capacities: each capability's, and each instrument's shared by the
    capabilities measured on it (one down today runs from the lab's expected return,
    `selectors.downtime_bases`), read by `instrument_capacity` as routing reads them; day 0
    offers `first_day_share` of them."""
    daily: dict[int, int] = dict(Capability.objects.filter(lab_id=lab_id)
                                 .values_list("id", "daily_capacity"))
    capacity: dict[Hashable, int] = {pk: count for pk, count in daily.items()}
    return_days = downtime_bases([lab_id])[lab_id].return_days
    instruments = tuple(
        queues.Instrument(instrument.id, instrument.runs_per_day, instrument.samples_per_run,
                          frozenset(instrument.capability_ids),
                          back_on(instrument.status, return_days))
        for instrument in instrument_capacity(daily))
    return queues.Plan(capacity, instruments, first_day_share)


def lab_clock(lab: Lab, now: datetime) -> tuple[int, float]:
    """Where the lab's working day stands at `now`: the working days before its queue next
    moves (1 after closing time on a working day, else 0) and the share of that day's
    capacity left (the working hours still ahead; a whole day before opening)."""
    local = timezone.localtime(now)
    if not work_calendar().is_working_day(local.date()):
        return 0, 1.0
    share = queues.working_day_left(local.time(), lab.workday_start, lab.workday_end)
    return (0, share) if share > 0 else (1, 1.0)


def _job(key, capability: Capability, arrived: datetime, priority: int = 0) -> queues.Job:
    return queues.Job(key, capability.pk, capability.turnaround_days, priority,
                      arrived.timestamp())


def lab_queue(lab_id: int, excluding: Iterable[int] = ()) -> queues.QueueState:
    """The lab's waiting tests (not yet with an analyst): urgent applications' first, then in
    arrival order."""
    state = queues.QueueState()
    for key, capability, days, arrived, priority in (
            Test.objects.filter(lab_id=lab_id, status="pending")
            .exclude(pk__in=list(excluding))
            .values_list("pk", "capability_id", "capability__turnaround_days", "created_at",
                         "sample__application__priority")):
        state.add(queues.Job(key, capability, days, priority, arrived.timestamp()))
    return state


def queued_days(lab: Lab, jobs: list[queues.Job], now: datetime,
                excluding: Iterable[int] = ()) -> dict:
    """Working day (0 = today) on which each job completes behind the lab's queue, counted
    from `now` in the lab's working hours."""
    offset, share = lab_clock(lab, now)
    days = queues.simulate(lab_queue(lab.id, excluding), capacity_plan(lab.id, share), jobs)
    return {key: None if day is None else day + offset for key, day in days.items()}


def _dated(calendar: WorkCalendar, today: date, day: int):
    first = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1).date
    return calendar.add_working_days(first, day)


def _late_range(open_days: dict[int, list[int]]) -> tuple[queues.DayRange,
                                                          tuple[LatenessBasis, ...]]:
    """The completion range of open tests (lab id → their simulated days), each lab's tests
    late by its table (`selectors.lateness_bases`), and the tables used."""
    bases = lateness_bases(open_days)
    by_table: dict[queues.Lateness, list[int]] = {}
    for lab_id, days in open_days.items():
        by_table.setdefault(bases[lab_id].table, []).extend(days)
    used = tuple(dict.fromkeys(bases[lab_id] for lab_id in sorted(open_days)))
    return queues.mixed_completion_range(by_table), used


def _summary(forecasts: list[TestForecast], today: date,
             test_days: list[int] | None = None) -> Prediction:
    """The application's date: the median day its latest open test completes, each test late
    against its simulated day as its lab's history shows (`_late_range`), with the 80 %
    interval; `test_days` when forecasts stand for several tests (a quote's samples, one lab)."""
    blocked = [f.name or f.label for f in forecasts if f.basis == "no_capacity"]
    open_days: dict[int, list[int]] = {}
    for f in forecasts:
        if f.day is not None:
            open_days.setdefault(f.lab.pk, []).append(f.day)
    if blocked or not forecasts:
        return Prediction(None, today, forecasts, blocked=blocked)
    if not open_days:
        return Prediction(max(f.date for f in forecasts if f.date), today, forecasts)
    calendar = work_calendar()
    ranged, used = _late_range({forecasts[0].lab.pk: test_days} if test_days else open_days)
    point, low, high = (_dated(calendar, today, d) for d in (ranged.day, ranged.low,
                                                              ranged.high))
    done = [f.date for f in forecasts if f.basis == "done" and f.date]
    finish = max([point.date, *done])
    queued = sorted({f.lab.pk for f in forecasts if f.basis in ("queue", "transfer")})
    bases = downtime_bases(queued)
    return Prediction(finish, today, forecasts, low=max([low.date, *done]),
                      high=max([high.date, *done]), working_days=ranged.day,
                      provisional=high.provisional, lateness=used,
                      downtime=tuple(dict.fromkeys(bases[lab_id] for lab_id in queued)))


def _requested(lab: Lab, capabilities: list[Capability], sample_count: int, today: date,
               arrived: datetime, priority: int = 0) -> tuple[list[TestForecast], dict]:
    """Every requested item on every sample, joining the lab's queue now: a forecast per
    item (its latest sample) and each test's simulated day by (sample position, capability)."""
    jobs = {(n, c.pk): _job((n, c.pk), c, arrived, priority)
            for n in range(sample_count) for c in capabilities}
    days = queued_days(lab, list(jobs.values()), arrived) if jobs else {}
    forecasts = []
    for capability in capabilities:
        found = [days[(n, capability.pk)] for n in range(sample_count)]
        forecasts.append(_forecast(capability.test_item.code, lab, "queue",
                                   None if None in found else max(found), today,
                                   capability.test_item.name))
    return forecasts, days


def _forecast(label: str, lab: Lab, basis: str, day: int | None, today: date,
              name: str = "") -> TestForecast:
    if day is None:
        return TestForecast(label, lab, None, "no_capacity", name=name)
    return TestForecast(label, lab, _dated(work_calendar(), today, day).date, basis, day, name)


def requested_completion(lab: Lab, capabilities: list[Capability], sample_count: int,
                         today: date | None = None, priority: int = 0) -> Prediction:
    """The quote: when an application for these capabilities, filed now, would complete."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    forecasts, days = _requested(lab, capabilities, sample_count, today, now, priority)
    found = _summary(forecasts, today, [day for day in days.values() if day is not None])
    calendar, items = work_calendar(), {c.pk: c.test_item_id for c in capabilities}
    return replace(found, simulated={
        (n, items[capability]): _dated(calendar, today, day).date
        for (n, capability), day in days.items() if day is not None})


def _test_forecasts(tests: list, today: date, transport: TransportRule,
                    priority: int = 0) -> list[TestForecast]:
    forecasts: dict[int, TestForecast] = {}
    waiting: dict[int, list] = {}
    calendar = work_calendar()
    for test in tests:
        label = f"{test.sample.number} {test.test_item.code}"
        transfer = _open_transfer(test)
        if test.completed_at is not None:
            forecasts[test.pk] = TestForecast(label, test.lab,
                                              timezone.localdate(test.completed_at), "done")
        elif transfer is not None:
            forecasts[test.pk] = _transfer_forecast(test, label, transfer, today, transport,
                                                    priority)
        elif test.status in STARTED:
            day = calendar.working_days_between(today, max(today, test.due_date))
            forecasts[test.pk] = TestForecast(label, test.lab, max(today, test.due_date),
                                              "started", day)
        else:
            waiting.setdefault(test.lab_id, []).append((test, label))
    for members in waiting.values():
        jobs = [_job(test.pk, test.capability, test.created_at, priority)
                for test, _ in members]
        days = queued_days(members[0][0].lab, jobs, timezone.now(),
                           excluding=[test.pk for test, _ in members])
        for test, label in members:
            forecasts[test.pk] = _forecast(label, test.lab, "queue", days[test.pk], today)
    return [replace(forecasts[test.pk], name=f"{test.sample.number} {test.test_item.name}")
            for test in tests]


def _transfer_forecast(test, label: str, transfer: Transfer, today: date,
                       transport: TransportRule, priority: int) -> TestForecast:
    lab = transfer.to_lab
    capability = capabilities_for_items(lab, [test.test_item_id], False).get(
        test.test_item_id, test.capability)
    moves = transport.days(same_city=transfer.from_lab.city == lab.city,
                           same_district=transfer.from_lab.district_id == lab.district_id)
    now = timezone.now()
    day = queued_days(lab, [_job(test.pk, capability, now, priority)], now,
                      excluding=[test.pk])[test.pk]
    return _forecast(label, lab, "transfer", None if day is None else day + moves, today)


def _open_transfer(test) -> Transfer | None:
    return (Transfer.objects.select_related("from_lab", "to_lab")
            .filter(test=test, status__in=["dispatched", "in_transit"]).first())


def application_predicted_completion(application, transport: TransportRule = DEFAULT_TRANSPORT,
                                     ) -> Prediction | None:
    """The application's predicted completion, test by test, with its 80 % interval; None when
    it will not complete (rejected, cancelled) or has nothing to test."""
    if application.status in ("rejected", "cancelled"):
        return None
    now = timezone.now()
    today = timezone.localdate(now)
    tests = list(Test.objects.filter(sample__application=application)
                 .exclude(status__in=["retracted", "cancelled"])
                 .select_related("sample", "test_item", "lab", "capability")
                 .order_by("sample__number", "test_item__code"))
    if tests:
        return _summary(_test_forecasts(tests, today, transport, application.priority), today)
    item_ids = list(application.items.order_by("id").values_list("test_item_id", flat=True))
    chosen = capabilities_for_items(application.lab, item_ids,
                                    application.requires_accreditation)
    samples = application.samples.exclude(status__in=["rejected", "cancelled"]).count()
    if not chosen or not samples:
        return None
    capabilities = [chosen[i] for i in item_ids if i in chosen]
    return requested_completion(application.lab, capabilities, samples, today,
                                application.priority)
