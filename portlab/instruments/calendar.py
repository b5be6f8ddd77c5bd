"""The week grid of a shared instrument's bookings, laid out for the calendar page."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from portlab.instruments.models import Booking

FIRST_HOUR, LAST_HOUR = 7, 22  # the grid shows 07:00-22:00; longer bookings are clipped


@dataclass
class Block:
    booking: Booking
    top: float  # percent of the day column
    height: float
    label: str
    mine: bool


@dataclass
class Day:
    date: dt.date
    blocks: list[Block] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def week_grid(monday: dt.date, bookings: list[Booking], *, viewer, manages: bool) -> dict:
    tz = timezone.get_current_timezone()
    span = (LAST_HOUR - FIRST_HOUR) * 3600
    days = [Day(monday + dt.timedelta(days=offset)) for offset in range(7)]
    for day in days:
        top_of_day = dt.datetime.combine(day.date, dt.time(FIRST_HOUR), tz)
        bottom = dt.datetime.combine(day.date, dt.time(LAST_HOUR), tz)
        for booking in bookings:
            start, end = max(booking.start, top_of_day), min(booking.end, bottom)
            if end <= start:
                continue
            mine = booking.user_id == viewer.pk
            local = timezone.localtime
            label = f"{local(booking.start):%H:%M}–{local(booking.end):%H:%M}"
            if mine or manages:  # outside users see that a slot is taken, not by whom
                label += f" {booking.organisation or booking.user}"
            day.blocks.append(Block(
                booking=booking, mine=mine, label=label,
                top=100 * (start - top_of_day).total_seconds() / span,
                height=100 * (end - start).total_seconds() / span))
    return {"days": days, "hours": [f"{hour:02d}:00" for hour in range(FIRST_HOUR, LAST_HOUR)]}
