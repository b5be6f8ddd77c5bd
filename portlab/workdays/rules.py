"""China's working-day calendar (pure, no Django).

A year with an official notice (国务院办公厅关于某年部分节假日安排的通知) has exactly the days off
and the weekend days worked instead (调休) that the notice lists. For a year without one, the
statutory holidays of the 全国年节及纪念日放假办法 (State Council Decree No. 795, in force since
2025-01-01) are used: Article 2 names the days, Article 6 moves a day that falls on a Saturday or
Sunday to the next working day (补假). No weekend is worked in such a year, and every date
computed through it is marked provisional, because the notice will move days around.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar

# Decree No. 795 is the rule from 2025 on; earlier years come from their notices only.
STATUTORY_FROM = 2025
# lunar_python's tables end with the lunar year 2099.
STATUTORY_UNTIL = 2099
DAYS_OFF_AT_MOST = 31  # a run of days off longer than any holiday means a broken calendar


class CalendarNotCovered(ValueError):
    """The calendar has neither a notice nor a statutory rule for this year."""

    def __init__(self, year: int):
        super().__init__(f"no working-day calendar for {year}")
        self.year = year


@dataclass(frozen=True)
class Dated:
    """A computed date, provisional when it was counted through a year without a notice."""

    date: date
    provisional: bool


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    solar = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_holidays(year: int) -> dict[date, str]:
    """Article 2 of Decree No. 795: the 13 days every citizen has off in `year`."""
    if not STATUTORY_FROM <= year <= STATUTORY_UNTIL:
        raise CalendarNotCovered(year)
    new_year = _lunar(year, 1, 1)
    days = {date(year, 1, 1): "元旦"}
    for offset in (-1, 0, 1, 2):  # 除夕 and the first three days of the first lunar month
        days[new_year + timedelta(days=offset)] = "春节"
    days[_qingming(year)] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "国庆节"
    return days


@lru_cache(maxsize=128)
def statutory_days_off(year: int) -> frozenset[date]:
    """The statutory holidays plus Article 6's substitutes for those on a weekend."""
    holidays = statutory_holidays(year)
    off = set(holidays)
    for day in sorted(holidays):
        if day.weekday() >= 5:
            substitute = day + timedelta(days=1)
            while substitute.weekday() >= 5 or substitute in off:
                substitute += timedelta(days=1)
            off.add(substitute)
    return frozenset(off)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday to Friday, minus days off, plus the weekend days worked (调休)."""

    days_off: frozenset[date] = frozenset()
    weekend_workdays: frozenset[date] = frozenset()
    official_years: frozenset[int] = frozenset()
    _first_year: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        first = min(self.official_years, default=STATUTORY_FROM)
        object.__setattr__(self, "_first_year", min(first, STATUTORY_FROM))

    def is_provisional(self, day: date) -> bool:
        return day.year not in self.official_years

    def is_working_day(self, day: date) -> bool:
        if day.year in self.official_years:
            if day in self.weekend_workdays:
                return True
            return day.weekday() < 5 and day not in self.days_off
        if day.year < self._first_year:
            raise CalendarNotCovered(day.year)
        return day.weekday() < 5 and day not in statutory_days_off(day.year)

    def add_working_days(self, start: date, days: int) -> Dated:
        """The date `days` working days after `start` (`start` itself is not counted)."""
        current, remaining = start, days
        provisional = False
        while remaining > 0:
            current += timedelta(days=1)
            provisional = provisional or self.is_provisional(current)
            if self.is_working_day(current):
                remaining -= 1
        return Dated(current, provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when end is not after start."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count


def next_working_day(calendar: WorkCalendar, day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    for offset in range(DAYS_OFF_AT_MOST + 1):
        current = day + timedelta(days=offset)
        if calendar.is_working_day(current):
            return current
    raise ValueError(f"no working day within {DAYS_OFF_AT_MOST} days of {day}")


def calendar_from(days_off: Iterable[date], weekend_workdays: Iterable[date],
                  official_years: Iterable[int]) -> WorkCalendar:
    return WorkCalendar(frozenset(days_off), frozenset(weekend_workdays),
                        frozenset(official_years))
