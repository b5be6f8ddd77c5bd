"""Hours an instrument spent in each state, per day, from its state intervals and the
approved outside bookings (pure, no Django).

States: running, idle (paused counts as idle), error, offline, and booked by outsiders (an
approved booking's hours, whatever the agent reported: the instrument was theirs). Hours no
interval covers count as offline (nothing was heard). Only elapsed time counts: today's day
ends at `now`, so an unfinished day is not 24 hours, and utilisation divides by the hours
that have passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

STATES = ("running", "idle", "error", "offline", "booked")
STATE_OF = {"running": "running", "idle": "idle", "paused": "idle", "error": "error",
            "offline": "offline"}

Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class DayUse:
    """One day's hours per state; `elapsed` is 24 except today (and a day not yet begun: 0)."""

    day: dt.date
    elapsed: float
    hours: dict[str, float] = field(default_factory=dict)

    @property
    def used(self) -> float:
        """Hours running for the lab or booked by outsiders."""
        return self.hours.get("running", 0.0) + self.hours.get("booked", 0.0)

    @property
    def utilisation(self) -> float | None:
        """Used share of the elapsed hours; None before the day has begun."""
        return self.used / self.elapsed if self.elapsed else None


def _overlap(a: Span, b: Span) -> Span | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if end > start else None


def _minus(span: Span, holes: Sequence[Span]) -> list[Span]:
    """The parts of `span` outside every hole (holes sorted, not overlapping)."""
    parts, start = [], span[0]
    for hole in holes:
        cut = _overlap((start, span[1]), hole)
        if cut is None:
            continue
        if cut[0] > start:
            parts.append((start, cut[0]))
        start = cut[1]
    if span[1] > start:
        parts.append((start, span[1]))
    return parts


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _hours(span: Span) -> float:
    return (span[1] - span[0]).total_seconds() / 3600


def day_use(day: dt.date, intervals: Sequence[tuple[str, dt.datetime, dt.datetime]],
            bookings: Sequence[Span], tz: dt.tzinfo, now: dt.datetime) -> DayUse:
    """One local calendar day: each state's hours, up to `now`."""
    start = dt.datetime.combine(day, dt.time.min, tz)
    end = min(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tz), now)
    if end <= start:
        return DayUse(day, 0.0, dict.fromkeys(STATES, 0.0))
    window = (start, end)
    booked = _merge(c for b in bookings if (c := _overlap(b, window)))
    hours = dict.fromkeys(STATES, 0.0)
    hours["booked"] = sum(map(_hours, booked))
    heard: list[Span] = []
    # By start, then end: of intervals that start together (a state closed at the last
    # heartbeat and the offline gap opened there), the one that ended first came first. The
    # database returns them in no particular order (PostgreSQL moves updated rows).
    for state, begins, ends in sorted(intervals, key=lambda i: (i[1], i[2])):
        clipped = _overlap((begins, ends), window)
        if clipped is None:
            continue
        for part in _minus(clipped, _merge([*booked, *heard])):
            hours[STATE_OF.get(state, "offline")] += _hours(part)
        heard.append(clipped)
    silent = _minus(window, _merge([*booked, *heard]))
    hours["offline"] += sum(map(_hours, silent))
    return DayUse(day, _hours(window), hours)


def use_per_day(intervals: Iterable[tuple[str, dt.datetime, dt.datetime]],
                bookings: Iterable[Span], days: list[dt.date], tz: dt.tzinfo,
                now: dt.datetime) -> list[DayUse]:
    """Each day's hours per state; every day's states add up to its elapsed hours."""
    spans, booked = list(intervals), list(bookings)
    return [day_use(day, spans, booked, tz, now) for day in days]


def running_hours_per_day(intervals: Iterable[tuple[str, dt.datetime, dt.datetime]],
                          days: list[dt.date], tz: dt.tzinfo,
                          now: dt.datetime | None = None) -> dict[dt.date, float]:
    """Running hours per local day (no bookings): the board's running column."""
    now = now or dt.datetime.max.replace(tzinfo=tz)
    return {use.day: use.hours["running"] for use in use_per_day(intervals, (), days, tz, now)}
