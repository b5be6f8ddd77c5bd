"""The interval's levels calibrated on the later completed applications (pure), as the bench
calibrates them. The calendar is the State Council's 2026 notice around National Day: 10-01 to
10-07 off, Saturday 10-10 worked.

A table from 30 one-test applications, 6 on their simulated day, 15 one working day late, 9
two: at most 0, 1, 2 days late 0.2, 0.7, 1. Ten later applications are inside the interval:
on their day (2) when `low` ≤ 0.2; one day late (6) always; two late (1) when `high` > 0.7;
five late (1) never. Coverage is 60 % + 20 % (`low` ≤ 0.2) + 10 % (`high` > 0.7): 80 % with
`low` ≤ 0.2 and `high` ≤ 0.7 only, the evenest tails at 0.20-0.70."""

from collections import Counter
from datetime import date

from portlab.transfers.lateness import (
    MINIMUM_APPLICATIONS,
    calibrated_fit,
    calibration_split,
    interval_levels,
)
from portlab.transfers.queue_simulation import DEFAULT_LATENESS, Lateness
from portlab.workdays.rules import calendar_from

NATIONAL_DAY = calendar_from([date(2026, 10, day) for day in range(1, 8)], [date(2026, 10, 10)],
                             [2026])
SIMULATED = date(2026, 9, 29)  # a Tuesday
LATE = {0: date(2026, 9, 29), 1: date(2026, 9, 30), 2: date(2026, 10, 8),  # across the holiday
        5: date(2026, 10, 12)}  # 10-08, 10-09, the Saturday 10-10 worked, Monday 10-12
TABLE = Lateness(0, (0.2, 0.5, 0.3))


def one_test(late: int) -> list[tuple[date, date | None]]:
    return [(SIMULATED, LATE[late])]


def test_the_levels_cover_the_share_nearest_80_percent_with_the_evenest_tails() -> None:
    later = [Counter({-late: 1}) for late in (0, 0, 1, 1, 1, 1, 1, 1, 2, 5)]
    levels = interval_levels(TABLE, later)
    assert (levels.low, levels.high, levels.covered) == (0.2, 0.7, 0.8)


def test_an_application_is_as_late_as_its_latest_test() -> None:
    # two tests simulated on the day it completed and the day before: done by then 0.2 × 0.7
    # = 0.14, by the day before 0; inside for every `low` ≤ 0.14 (100 %, the nearest there is)
    assert interval_levels(TABLE, [Counter({0: 1, -1: 1})] * 10).covered == 1.0


def test_the_shares_come_before_the_slice_and_the_levels_from_it() -> None:
    first = [one_test(late) for late in [0] * 6 + [1] * 15 + [2] * 9]
    later = [one_test(late) for late in (0, 0, 1, 1, 1, 1, 1, 1, 2, 5)]
    # filed among the slice, still open: its completed test counts nowhere
    still_open = [(SIMULATED, LATE[5]), (SIMULATED, None)]
    fit = calibrated_fit(first + later[:5] + [still_open] + later[5:], NATIONAL_DAY,
                         minimum=30, minimum_applications=10)
    assert fit.lateness == Lateness(0, (0.2, 0.5, 0.3) + (0.0,) * 10, 0.2, 0.7)
    assert (fit.tests, fit.applications, fit.tests_before, fit.covered) == (30, 10, 30, 0.8)


def test_exactly_the_minimum_of_applications_calibrates_one_fewer_keeps_the_default() -> None:
    assert (197 - calibration_split(197), 196 - calibration_split(196)) == (50, 49)
    calibrated = calibrated_fit([one_test(0)] * 197, NATIONAL_DAY, minimum=1)
    assert (calibrated.applications, calibrated.tests, calibrated.tests_before) == (50, 147, 147)
    assert calibrated.covered is not None
    kept = calibrated_fit([one_test(0)] * 196, NATIONAL_DAY, minimum=1)
    assert (kept.applications, kept.tests, kept.tests_before, kept.covered) == (49, 196, None,
                                                                                None)
    assert kept.lateness is not None
    assert (kept.lateness.low, kept.lateness.high) == (DEFAULT_LATENESS.low,
                                                       DEFAULT_LATENESS.high)
    assert MINIMUM_APPLICATIONS == 50


def test_too_few_tests_before_the_slice_keep_the_default_levels_on_every_test() -> None:
    fit = calibrated_fit([one_test(1)] * 8, NATIONAL_DAY, minimum=7, minimum_applications=2)
    assert (fit.tests, fit.applications, fit.tests_before, fit.covered) == (8, 2, 6, None)
    assert fit.lateness == Lateness(1, (1.0,) + (0.0,) * 11, 0.21, 0.86)


def test_no_completed_application_keeps_the_default_and_fits_nothing() -> None:
    fit = calibrated_fit([[(SIMULATED, None)]], NATIONAL_DAY, minimum=1)
    assert (fit.lateness, fit.tests, fit.applications) == (None, 0, 0)
