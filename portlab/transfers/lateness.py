"""A lab's own lateness, counted from its completed tests (pure, no Django).

At filing, PortLab records each requested test's simulated day: the working day the queue
simulation (`queue_simulation`) finishes it, before any lateness. Once the test is completed,
it is `working_days_late` working days late against that day, in the network's working-day
calendar (调休 included). `lateness_fit` counts those days into a `Lateness` of the same shape
as `queue_simulation.DEFAULT_LATENESS`, or refuses with the reason when there are too few.

The interval's levels are not refitted: they stay those of the default table (calibrated on
generated history), because calibrating them needs a later slice of whole applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from portlab.transfers.queue_simulation import DEFAULT_LATENESS, Lateness, lateness_count
from portlab.workdays.rules import CalendarNotCovered, WorkCalendar

MINIMUM_TESTS = 200  # fewer completed tests than this: no fit, the table in use stays
DAYS_OFF_AT_MOST = 31  # a run of days off longer than any holiday means a broken calendar


def next_working_day(calendar: WorkCalendar, day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    for offset in range(DAYS_OFF_AT_MOST + 1):
        current = day + timedelta(days=offset)
        if calendar.is_working_day(current):
            return current
    raise ValueError(f"no working day within {DAYS_OFF_AT_MOST} days of {day}")


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
    and those left out because a date falls in a year the calendar does not cover."""

    lateness: Lateness | None
    tests: int
    uncovered: int = 0
    uncovered_years: tuple[int, ...] = ()


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
