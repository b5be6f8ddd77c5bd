"""How long a down instrument stays down, counted from its episodes (pure). The calendar is the
State Council's 2026 notice around National Day: 10-01 to 10-07 off, Saturday 10-10 worked,
Sunday 10-11 off."""

from datetime import date

from portlab.instruments.downtime import (
    MINIMUM_EPISODES,
    DowntimeFit,
    Episode,
    downtime_fit,
    expected_return,
    remaining_days,
)
from portlab.workdays.rules import calendar_from

NATIONAL_DAY = calendar_from([date(2026, 10, day) for day in range(1, 8)], [date(2026, 10, 10)],
                             [2026])
START, END = date(2026, 9, 1), date(2026, 10, 20)


def test_each_working_day_down_counts_the_working_days_until_it_runs_again() -> None:
    # down Tuesday 09-29, back Friday 10-09: down on 09-29, 09-30 and 10-08 (the holiday between
    # is no working day); from 09-29 it runs again 3 working days later (09-30, 10-08, 10-09)
    across = Episode("icp", date(2026, 9, 29), date(2026, 10, 9))
    assert remaining_days(NATIONAL_DAY, across, START, END) == [3, 2, 1]


def test_back_on_a_day_off_runs_again_the_next_working_day() -> None:
    # back Sunday 10-11: runs again Monday 10-12; down on Friday 10-09 and the Saturday worked
    sunday = Episode("icp", date(2026, 10, 9), date(2026, 10, 11))
    assert remaining_days(NATIONAL_DAY, sunday, START, END) == [2, 1]


def test_an_episode_still_open_counts_as_back_on_the_period_s_last_day() -> None:
    # down Wednesday 10-14, still down on Friday 10-16 (the run's day): at least 2 and 1 days
    still = Episode("icp", date(2026, 10, 14), None)
    assert remaining_days(NATIONAL_DAY, still, START, date(2026, 10, 16)) == [2, 1]


def test_the_period_clips_the_days_counted_not_the_return() -> None:
    across = Episode("icp", date(2026, 9, 29), date(2026, 10, 9))
    assert remaining_days(NATIONAL_DAY, across, date(2026, 10, 8), END) == [1]
    assert remaining_days(NATIONAL_DAY, across, START, date(2026, 9, 30)) == [3]


def test_back_the_same_day_adds_no_day() -> None:
    same = Episode("icp", date(2026, 9, 29), date(2026, 9, 29))
    assert remaining_days(NATIONAL_DAY, same, START, END) == []


def test_the_median_is_rounded_as_the_bench_rounds_it() -> None:
    assert (expected_return([3, 2, 1]), expected_return([2, 1]), expected_return([4, 3])) == (
        2, 2, 4)  # round half to even: 1.5 → 2, 3.5 → 4


def episodes(count: int) -> list[Episode]:
    """`count` episodes of one working day down, 09-29 to 09-30, each instrument its own."""
    return [Episode(n, date(2026, 9, 29), date(2026, 9, 30)) for n in range(count)]


def test_exactly_the_minimum_of_episodes_fits_one_fewer_does_not() -> None:
    assert MINIMUM_EPISODES == 10
    assert downtime_fit(episodes(10), NATIONAL_DAY, END) == DowntimeFit(1, 10, 10)
    assert downtime_fit(episodes(9), NATIONAL_DAY, END) == DowntimeFit(None, 9, 9)


def test_no_episode_fits_nothing() -> None:
    assert downtime_fit([], NATIONAL_DAY, END) == DowntimeFit(None, 0, 0)


def test_an_episode_before_the_year_counted_adds_nothing() -> None:
    before = Episode("xrf", date(2025, 6, 2), date(2025, 6, 4))  # END less 365 days: 2025-10-20
    old = Episode("gc", date(2003, 6, 2), date(2003, 6, 4))  # outside: its calendar not needed
    assert downtime_fit([before, old], NATIONAL_DAY, END, minimum=1) == DowntimeFit(None, 0, 0)


def test_bad_episodes_are_left_out_and_counted() -> None:
    reversed_ = Episode("icp", date(2026, 10, 9), date(2026, 9, 29))  # back before it went down
    uncovered = Episode("gc", date(2003, 6, 2), date(2003, 6, 4))  # before the calendar starts
    still = Episode("lc", date(2026, 10, 14), None)
    fit = downtime_fit([*episodes(2), reversed_, uncovered, still], NATIONAL_DAY,
                       date(2026, 10, 16), minimum=3, period_days=9000)
    # 09-29: 1 (×2); 10-14: 2, 10-15: 1 → median of 1, 1, 1, 2
    assert fit == DowntimeFit(1, 3, 4, still_down=1, reversed=1, uncovered=1)
