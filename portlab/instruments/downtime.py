"""How long a down instrument stays down, counted from its status record (pure, no Django).

An episode runs from the day an instrument was taken out of service or under calibration to
the day it was back in service (a change between the two down statuses continues it). The
prediction, seeing an instrument down on a working day, expects it to run again a number of
working days later (`queue_simulation.Instrument.back_on`); what the record shows for that day
is the working days from it to the first working day on or after the return. Over a period,
each working day an instrument was down and not yet back by the day's end gives one such
count; the expected return is their median, rounded (bench/bench_prediction.py's definition,
which counts the days an instrument is down when the day's applications are filed).

An episode still open at the end of the period counts as if the instrument came back on the
period's last day (the least it can be: its true counts are as large or larger). An episode
whose return is recorded before its start is left out and counted, and so is one with a day
in a year the calendar does not cover.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portlab.workdays.rules import CalendarNotCovered, WorkCalendar, next_working_day

MINIMUM_EPISODES = 10  # fewer episodes with a day down in the period: no fit
PERIOD_DAYS = 365  # the period counted: the year before the run


@dataclass(frozen=True)
class Episode:
    """An instrument down from `down` (a local date) to `back` (None: still down)."""

    instrument: Hashable
    down: date
    back: date | None


@dataclass(frozen=True)
class DowntimeFit:
    """What one count gave: the expected return (None: fewer episodes than the minimum), the
    episodes and instrument-days counted, the episodes still open at the end (counted), those
    left out because their return precedes their start, or for want of a calendar."""

    return_days: int | None
    episodes: int
    days: int
    still_down: int = 0
    reversed: int = 0
    uncovered: int = 0


def expected_return(remaining: Iterable[int]) -> int:
    """The working days a down instrument is expected to stay down: the median of the counts,
    rounded."""
    return round(statistics.median(remaining))


def remaining_days(calendar: WorkCalendar, episode: Episode, start: date,
                   end: date) -> list[int]:
    """For each working day from `start` up to `end` (excluded) on which the instrument was down
    and not back by the day's end: the working days until it ran again."""
    back = episode.back or end
    first, last = max(start, episode.down), min(back, end)
    if first >= last:
        return []
    runs_again = next_working_day(calendar, back)
    return [calendar.working_days_between(day, runs_again)
            for day in (first + timedelta(days=n) for n in range((last - first).days))
            if calendar.is_working_day(day)]


def downtime_fit(episodes: Iterable[Episode], calendar: WorkCalendar, end: date,
                 minimum: int = MINIMUM_EPISODES, period_days: int = PERIOD_DAYS,
                 ) -> DowntimeFit:
    """The expected return from the episodes' working days down in the `period_days` before
    `end` (the run's day, not counted), when at least `minimum` episodes have one."""
    start = end - timedelta(days=period_days)
    counts: list[int] = []
    counted = still_down = reversed_ = uncovered = 0
    for episode in episodes:
        if episode.back is not None and episode.back < episode.down:
            reversed_ += 1
            continue
        try:
            found = remaining_days(calendar, episode, start, end)
        except CalendarNotCovered:
            uncovered += 1
            continue
        if found:
            counts += found
            counted += 1
            still_down += episode.back is None
    expected = expected_return(counts) if counted >= minimum else None
    return DowntimeFit(expected, counted, len(counts), still_down, reversed_, uncovered)
