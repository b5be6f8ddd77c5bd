"""A lab's own lateness, counted from its completed tests (pure, no Django).

At filing, PortLab records each requested test's simulated day: the working day the queue
simulation (`queue_simulation`) finishes it, before any lateness. Once the test is completed,
it is `working_days_late` working days late against that day, in the network's working-day
calendar (调休 included). `lateness_fit` counts those days into a `Lateness` of the same shape
as `queue_simulation.DEFAULT_LATENESS`, or refuses with the reason when there are too few.

The interval's levels are calibrated as bench/bench_prediction.py calibrates them (split
conformal): in filing order, the last `CALIBRATION_SHARE` of the completed applications is the
calibration slice; the shares are counted from the tests filed before it, and `interval_levels`
picks the levels whose interval covers the share of the slice nearest 80 %. With fewer than
`MINIMUM_APPLICATIONS` in the slice (or too few tests before it) the levels stay the default
table's and the shares count every completed test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from portlab.transfers.queue_simulation import (
    DEFAULT_LATENESS,
    Lateness,
    all_done_by,
    lateness_count,
)
from portlab.workdays.rules import CalendarNotCovered, WorkCalendar, next_working_day

MINIMUM_TESTS = 200  # fewer completed tests than this: no fit, the table in use stays
# Fewer completed applications than this in the calibration slice: the default levels stay
# (50 puts one application in 50, 2 points of coverage, on either side of the target).
MINIMUM_APPLICATIONS = 50
CALIBRATION_SHARE = 0.25  # the later part of the record, in filing order, that sets the levels
COVERAGE = 0.8  # the interval's target: 80 % of applications inside


def working_days_late(calendar: WorkCalendar, simulated: date, completed: date) -> int:
    """Working days from a test's simulated day to the day it completed: 0 on the day itself,
    negative when early. A test completed on a day off counts as completed on the next working
    day, the first working day by which it was done (the day a prediction names)."""
    done = next_working_day(calendar, completed)
    if done >= simulated:
        return calendar.working_days_between(simulated, done)
    return -calendar.working_days_between(done, simulated)


@dataclass(frozen=True)
class LatenessFit:
    """What one count gave: the table (None: fewer tests than the minimum), the tests counted,
    and those left out because a date falls in a year the calendar does not cover. With levels
    calibrated, `covered` is the share of the calibration slice's `applications` inside the
    interval; without, it is None and `applications` (and `tests_before`, the tests filed
    before the slice, when the slice was large enough) say why."""

    lateness: Lateness | None
    tests: int
    uncovered: int = 0
    uncovered_years: tuple[int, ...] = ()
    applications: int = 0
    tests_before: int | None = None
    covered: float | None = None


def lateness_fit(tests: Iterable[tuple[date, date]], calendar: WorkCalendar,
                 minimum: int = MINIMUM_TESTS) -> LatenessFit:
    """The lateness of completed tests, each given as (simulated day, completion day), when at
    least `minimum` of them can be counted; the interval's levels are the default table's. A
    test with a date in a year the calendar does not cover is left out and counted."""
    late: list[int] = []
    years: list[int] = []
    for simulated, completed in tests:
        try:
            late.append(working_days_late(calendar, simulated, completed))
        except CalendarNotCovered as error:
            years.append(error.year)
    uncovered_years = tuple(sorted(set(years)))
    if len(late) < minimum:
        return LatenessFit(None, len(late), len(years), uncovered_years)
    table = replace(lateness_count(late), low=DEFAULT_LATENESS.low, high=DEFAULT_LATENESS.high)
    return LatenessFit(table, len(late), len(years), uncovered_years)


def calibration_split(count: int) -> int:
    """Where the calibration slice starts among `count` applications in filing order."""
    return int(count * (1 - CALIBRATION_SHARE))


@dataclass(frozen=True)
class Levels:
    low: float
    high: float
    covered: float  # the share of the calibration applications inside the interval


def interval_levels(lateness: Lateness, applications: Sequence[Counter]) -> Levels:
    """The interval's levels, in hundredths (low 0.01-0.40, high 0.60-0.99), whose interval
    covers the share of `applications` nearest 80 %, then the most even tails. Each
    application is its tests' simulated days counted in working days from the day it
    completed (-2: two working days before it) → tests. It is inside when the chance that all
    its tests are done by that day is at least `low`, and by the day before under `high`."""
    if not applications:
        raise ValueError("no completed application to calibrate on")
    chances = [(all_done_by(days, 0, lateness), all_done_by(days, -1, lateness))
               for days in applications]

    def inside(levels: tuple[float, float]) -> float:
        low, high = levels
        return sum(by >= low and before < high for by, before in chances) / len(chances)

    def miss(levels: tuple[float, float]) -> tuple[float, float]:
        low, high = levels
        return abs(inside(levels) - COVERAGE), abs(low - (1 - high))

    low, high = min(((low / 100, high / 100) for low in range(1, 41) for high in range(60, 100)),
                    key=miss)
    return Levels(low, high, inside((low, high)))


Record = Sequence[tuple[date, date | None]]  # an application's tests: (simulated, completed)


def _completed(applications: Iterable[Record]) -> list[tuple[date, date]]:
    return [(simulated, done) for tests in applications for simulated, done in tests
            if done is not None]


def _from_completion(calendar: WorkCalendar, tests: Record) -> Counter:
    """The tests' simulated days in working days from the day the application completed (the
    first working day by which its last test was done)."""
    finished = max(next_working_day(calendar, done) for _, done in tests if done is not None)
    return Counter(-working_days_late(calendar, simulated, finished) for simulated, _ in tests)


def calibrated_fit(applications: Sequence[Record], calendar: WorkCalendar,
                   minimum: int = MINIMUM_TESTS,
                   minimum_applications: int = MINIMUM_APPLICATIONS) -> LatenessFit:
    """`lateness_fit` with the interval's levels calibrated. `applications`, in filing order,
    each give their tests' (simulated day, completion day or None while open); one is
    completed when all its tests are. The last `CALIBRATION_SHARE` of the completed ones is
    the calibration slice: with at least `minimum_applications` there (a date the calendar
    does not cover leaves its application out) and `minimum` completed tests filed before
    it, the shares come from those tests and the levels from the slice. Otherwise every
    completed test counts and the levels stay the default's."""
    done = [n for n, tests in enumerate(applications)
            if tests and all(completed is not None for _, completed in tests)]
    held = done[calibration_split(len(done)):]
    sliced, years = [], []
    for n in held:
        try:
            sliced.append(_from_completion(calendar, applications[n]))
        except CalendarNotCovered as error:
            years += [error.year] * len(applications[n])
    if len(sliced) < minimum_applications:
        everything = lateness_fit(_completed(applications), calendar, minimum)
        return replace(everything, applications=len(sliced))
    before = lateness_fit(_completed(applications[:held[0]]), calendar, minimum)
    if before.lateness is None:
        everything = lateness_fit(_completed(applications), calendar, minimum)
        return replace(everything, applications=len(sliced), tests_before=before.tests)
    levels = interval_levels(before.lateness, sliced)
    return replace(before, lateness=replace(before.lateness, low=levels.low, high=levels.high),
                   uncovered=before.uncovered + len(years),
                   uncovered_years=tuple(sorted({*before.uncovered_years, *years})),
                   applications=len(sliced), tests_before=before.tests,
                   covered=levels.covered)
