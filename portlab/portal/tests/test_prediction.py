from datetime import date
from decimal import Decimal

import pytest

from portlab.intake.prediction import (
    ItemLoad,
    predicted_completion,
    queue_delay_days,
    total_price,
    working_days_needed,
)
from portlab.workdays.rules import WorkCalendar

FRIDAY = date(2026, 3, 6)
LEAD = ItemLoad(price=Decimal("120.00"), turnaround_days=5, backlog=45, daily_capacity=20)
SALMONELLA = ItemLoad(price=Decimal("150.00"), turnaround_days=7, backlog=0, daily_capacity=20)


@pytest.mark.parametrize(("backlog", "capacity", "days"),
                         [(0, 20, 0), (1, 20, 1), (20, 20, 1), (21, 20, 2), (45, 20, 3),
                          (3, 0, 3)])
def test_queue_delay_rounds_up_to_whole_days(backlog: int, capacity: int, days: int) -> None:
    assert queue_delay_days(backlog, capacity) == days


def test_slowest_item_with_its_queue_sets_the_date() -> None:
    # lead: 5 + ceil(45 / 20) = 8; salmonella: 7 + 0 = 7 → 8 working days after Fri 6 March
    assert working_days_needed([LEAD, SALMONELLA]) == 8
    plain = WorkCalendar(official_years=frozenset({2026}))  # no holidays in March
    assert predicted_completion(FRIDAY, [LEAD, SALMONELLA], plain).date == date(2026, 3, 18)
    assert predicted_completion(FRIDAY, [SALMONELLA], plain).date == date(2026, 3, 17)
    assert predicted_completion(FRIDAY, [], plain).date == FRIDAY


def test_total_price_is_items_times_samples() -> None:
    assert total_price([LEAD, SALMONELLA], 3) == Decimal("810.00")
    assert total_price([LEAD], 0) == Decimal("0")
    assert total_price([], 4) == Decimal("0")
