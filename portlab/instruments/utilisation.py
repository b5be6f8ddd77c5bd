"""Hours an instrument spent running, per day, from its state intervals (pure, no Django)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def running_hours_per_day(intervals: Iterable[tuple[str, dt.datetime, dt.datetime]],
                          days: list[dt.date], tz: dt.tzinfo) -> dict[dt.date, float]:
    """Sum, for each local calendar day, the overlap of every "running" interval with it."""
    hours = {day: 0.0 for day in days}
    bounds = {day: (dt.datetime.combine(day, dt.time.min, tz),
                    dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tz))
              for day in days}
    for state, start, end in intervals:
        if state != "running" or end <= start:
            continue
        for day, (day_start, day_end) in bounds.items():
            overlap = (min(end, day_end) - max(start, day_start)).total_seconds()
            if overlap > 0:
                hours[day] += overlap / 3600
    return hours
