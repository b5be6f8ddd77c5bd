"""Lateness counted from completed tests (pure): working days late against the simulated day,
and the table it makes. The calendar is the State Council's 2026 notice around National Day:
10-01 to 10-07 off, Saturday 10-10 worked (Tuesday 09-29 and Wednesday 09-30 are working
days, Sunday 10-11 is not)."""

from datetime import date

import pytest

from portlab.transfers.lateness import lateness_fit, next_working_day, working_days_late
from portlab.transfers.queue_simulation import (
    DayRange,
    Lateness,
    completion_range,
    lateness_count,
    mixed_completion_range,
)
from portlab.workdays.rules import CalendarNotCovered, calendar_from

NATIONAL_DAY = calendar_from([date(2026, 10, day) for day in range(1, 8)], [date(2026, 10, 10)],
                             [2026])


@pytest.mark.parametrize(("simulated", "completed", "late"), [
    (date(2026, 9, 30), date(2026, 9, 30), 0),  # on its simulated day
    (date(2026, 9, 30), date(2026, 10, 8), 1),  # 8 calendar days, 1 working day
    (date(2026, 10, 9), date(2026, 10, 10), 1),  # the Saturday worked (调休) counts
    (date(2026, 10, 10), date(2026, 10, 11), 1),  # Sunday off: done by Monday 10-12
    (date(2026, 10, 8), date(2026, 10, 3), 0),  # done in the holiday: by 10-08, on time
    (date(2026, 10, 8), date(2026, 9, 30), -1),  # early, across the holiday
    (date(2026, 10, 8), date(2026, 9, 29), -2),
    (date(2026, 10, 12), date(2026, 10, 8), -3),  # 10-09, 10-10 and 10-12 ahead of it
])
def test_working_days_late(simulated: date, completed: date, late: int) -> None:
    assert working_days_late(NATIONAL_DAY, simulated, completed) == late


def test_next_working_day_skips_the_holiday() -> None:
    assert next_working_day(NATIONAL_DAY, date(2026, 10, 1)) == date(2026, 10, 8)
    assert next_working_day(NATIONAL_DAY, date(2026, 9, 30)) == date(2026, 9, 30)


def test_a_year_the_calendar_does_not_cover_is_refused() -> None:
    with pytest.raises(CalendarNotCovered):
        working_days_late(NATIONAL_DAY, date(2019, 6, 3), date(2019, 6, 5))


def test_the_table_counts_shares_from_the_earliest_k() -> None:
    fit = lateness_fit([(date(2026, 9, 30), date(2026, 9, 30)),
                        (date(2026, 9, 30), date(2026, 9, 30)),
                        (date(2026, 9, 30), date(2026, 10, 8)),
                        (date(2026, 10, 8), date(2026, 9, 29))], NATIONAL_DAY, minimum=4)
    assert fit.tests == 4 and fit.uncovered == 0
    # k = 0, 0, 1, -2; the interval's levels are the default table's (0.21, 0.86)
    assert fit.lateness == Lateness(-2, (0.25, 0.0, 0.5, 0.25) + (0.0,) * 11, 0.21, 0.86)


def test_fewer_tests_than_the_minimum_give_no_table() -> None:
    fit = lateness_fit([(date(2026, 9, 30), date(2026, 9, 30))] * 4, NATIONAL_DAY, minimum=5)
    assert (fit.lateness, fit.tests, fit.uncovered) == (None, 4, 0)


def test_a_test_in_a_year_not_covered_is_left_out_and_counted() -> None:
    fit = lateness_fit([(date(2026, 9, 30), date(2026, 9, 30)),
                        (date(2019, 6, 3), date(2019, 6, 5)),
                        (date(2018, 6, 4), date(2018, 6, 4)),
                        (date(2019, 6, 10), date(2019, 6, 11))], NATIONAL_DAY, minimum=1)
    assert (fit.tests, fit.uncovered, fit.uncovered_years) == (1, 3, (2018, 2019))
    assert fit.lateness == Lateness(0, (1.0,) + (0.0,) * 12, 0.21, 0.86)
    refused = lateness_fit([(date(2019, 6, 3), date(2019, 6, 5))], NATIONAL_DAY, minimum=1)
    assert (refused.lateness, refused.tests, refused.uncovered) == (None, 0, 1)


def test_lateness_count_gathers_the_tail_in_the_last_share() -> None:
    assert lateness_count([0, 2, 15, 12], latest=12) == Lateness(
        0, (0.25, 0.0, 0.25) + (0.0,) * 9 + (0.5,))
    assert lateness_count([-1, 1], latest=2) == Lateness(-1, (0.5, 0.0, 0.5, 0.0))
    with pytest.raises(ValueError):
        lateness_count([])


def test_each_lab_late_by_its_own_table() -> None:
    on_time = Lateness(0, (1.0,))
    half_a_day_late = Lateness(0, (0.5, 0.5), 0.1, 0.9)
    # by day 2: the first test surely (day 1, on time), the second half the time (day 2)
    assert mixed_completion_range({on_time: [1], half_a_day_late: [2]}) == DayRange(2, 2, 3)
    # by day 3 both; by day 2 the on-time test of day 3 is not done
    assert mixed_completion_range({on_time: [3], half_a_day_late: [2]}) == DayRange(3, 3, 3)
    assert mixed_completion_range({half_a_day_late: [4, 2]}) == completion_range(
        [4, 2], half_a_day_late)
    with pytest.raises(ValueError):
        mixed_completion_range({on_time: []})
