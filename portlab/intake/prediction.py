"""Price and completion date of an application before it is filed (pure, no Django).

The predicted date is today plus, for the slowest requested item, its standard turnaround and
the time the lab needs to clear the tests already waiting for the same capability
(open tests / daily capacity, rounded up), all counted in China's working days (the network's
calendar: official notices, 调休 included; provisional for a year without a notice).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portlab.workdays.rules import Dated, WorkCalendar


@dataclass(frozen=True)
class ItemLoad:
    """One requested test item at the chosen lab, with the queue in front of it."""

    price: Decimal
    turnaround_days: int
    backlog: int
    daily_capacity: int


def queue_delay_days(backlog: int, daily_capacity: int) -> int:
    """Whole working days to clear `backlog` tests; a capacity of 0 (unknown) counts as 1."""
    if backlog <= 0:
        return 0
    return math.ceil(backlog / max(daily_capacity, 1))


def working_days_needed(items: Iterable[ItemLoad]) -> int:
    return max((item.turnaround_days + queue_delay_days(item.backlog, item.daily_capacity)
                for item in items), default=0)


def predicted_completion(today: date, items: Iterable[ItemLoad],
                         calendar: WorkCalendar) -> Dated:
    return calendar.add_working_days(today, working_days_needed(items))


def total_price(items: Iterable[ItemLoad], sample_count: int) -> Decimal:
    """Every requested item is tested on every sample."""
    return sum((item.price for item in items), Decimal("0")) * sample_count
