"""The working-day calendar against the State Council's notices and Decree No. 795.

Official days: the notices as carried by the chinesecalendar package (1.11.0), e.g. 国务院办公厅
关于2026年部分节假日安排的通知. Statutory days: 全国年节及纪念日放假办法 (State Council Decree No.
795, in force 2025-01-01), Article 2 (the 13 days) and Article 6 (a day on a weekend is given
back on the next working day). Lunar dates for 2027 as published by the Hong Kong Observatory:
Lunar New Year 6 February, Dragon Boat 9 June, Mid-Autumn 15 September; Qingming 5 April.
"""

from datetime import date

import chinese_calendar
import pytest

from portlab.workdays.rules import (
    CalendarNotCovered,
    Dated,
    WorkCalendar,
    calendar_from,
    statutory_days_off,
    statutory_holidays,
)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return calendar_from(chinese_calendar.holidays,
                         (d for d in chinese_calendar.workdays if d.weekday() >= 5),
                         {d.year for d in chinese_calendar.holidays})


def test_national_day_2026_and_its_worked_saturday(calendar: WorkCalendar) -> None:
    # 1-7 October off; Saturday 10 October worked instead (调休).
    assert [calendar.is_working_day(date(2026, 10, d)) for d in range(1, 11)] == [
        False, False, False, False, False, False, False, True, True, True]
    assert calendar.add_working_days(date(2026, 9, 30), 1) == Dated(date(2026, 10, 8), False)


def test_weekends_and_plain_weeks(calendar: WorkCalendar) -> None:
    friday = date(2026, 3, 6)
    assert calendar.add_working_days(friday, 0).date == friday
    assert calendar.add_working_days(friday, 1).date == date(2026, 3, 9)
    assert calendar.add_working_days(date(2026, 3, 7), 1).date == date(2026, 3, 9)
    assert calendar.add_working_days(friday, 5).date == date(2026, 3, 13)


def test_qingming_2026_is_given_back_on_monday(calendar: WorkCalendar) -> None:
    # Qingming falls on Sunday 5 April 2026; 4-6 April are off.
    assert calendar.add_working_days(date(2026, 4, 3), 1).date == date(2026, 4, 7)


def test_statutory_days_of_2027() -> None:
    days = statutory_holidays(2027)
    assert len(days) == 13  # Article 2: 1 + 4 + 1 + 2 + 1 + 1 + 3
    assert sorted(d for d, name in days.items() if name == "春节") == [
        date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]
    assert {days[date(2027, 4, 5)], days[date(2027, 6, 9)], days[date(2027, 9, 15)]} == {
        "清明节", "端午节", "中秋节"}


def test_article_6_gives_weekend_holidays_back_on_working_days() -> None:
    off = statutory_days_off(2027)
    # Sat 6 and Sun 7 February (春节) → Tue 9 and Wed 10, after Mon 8 which is itself a holiday.
    assert {date(2027, 2, 9), date(2027, 2, 10)} <= off
    assert date(2027, 2, 11) not in off
    # Sat 1 and Sun 2 May → Mon 3 and Tue 4; Sat 2 and Sun 3 October → Mon 4 and Tue 5.
    assert {date(2027, 5, 3), date(2027, 5, 4), date(2027, 10, 4), date(2027, 10, 5)} <= off
    assert date(2027, 10, 6) not in off


def test_a_year_without_a_notice_is_provisional(calendar: WorkCalendar) -> None:
    # Fri 25 Dec 2026 + 10: 28-31 Dec, then Fri 1 Jan 2027 is New Year, 4-8 and 11 Jan.
    assert calendar.add_working_days(date(2026, 12, 25), 4) == Dated(date(2026, 12, 31), False)
    later = calendar.add_working_days(date(2026, 12, 25), 10)
    assert (later.date, later.provisional) == (date(2027, 1, 11), True)


def test_working_days_between_counts_the_end_not_the_start(calendar: WorkCalendar) -> None:
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert calendar.working_days_between(date(2026, 10, 10), date(2026, 10, 10)) == 0
    assert calendar.working_days_between(date(2026, 10, 12), date(2026, 10, 10)) == 0


@pytest.mark.parametrize("year", [2003, 2100])
def test_years_outside_the_calendar_are_refused(calendar: WorkCalendar, year: int) -> None:
    with pytest.raises(CalendarNotCovered) as refused:
        calendar.is_working_day(date(year, 6, 1))
    assert refused.value.year == year


def test_statutory_rule_starts_with_the_decree() -> None:
    with pytest.raises(CalendarNotCovered):
        statutory_holidays(2024)
    assert date(2025, 1, 28) in statutory_holidays(2025)  # 除夕 2025, a holiday since 2025
