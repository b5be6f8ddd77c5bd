"""Hours per state with partial days: today counts only up to now."""

import datetime as dt
from zoneinfo import ZoneInfo

from portlab.instruments.utilisation import day_use, use_per_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 16)


def at(hour: float, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, SHANGHAI) + dt.timedelta(hours=hour)


def test_each_state_and_booking_over_a_whole_day() -> None:
    intervals = [("idle", at(0), at(8)), ("running", at(8), at(14)), ("error", at(14), at(15)),
                 ("paused", at(15), at(16))]
    bookings = [(at(12), at(13)), (at(20), at(22))]
    use = day_use(DAY, intervals, bookings, SHANGHAI, now=at(30))
    # running 8–14 less the booked 12–13; 16–24 unheard is offline except the booking 20–22
    assert use.hours == {"running": 5.0, "idle": 9.0, "error": 1.0, "offline": 6.0,
                         "booked": 3.0}
    assert (use.elapsed, use.used, use.utilisation) == (24.0, 8.0, 8 / 24)


def test_today_counts_only_the_hours_elapsed() -> None:
    intervals = [("running", at(8), at(10))]
    use = day_use(DAY, intervals, [(at(9), at(18))], SHANGHAI, now=at(10))
    assert use.elapsed == 10.0  # not 24
    assert use.hours == {"running": 1.0, "idle": 0.0, "error": 0.0, "offline": 8.0,
                         "booked": 1.0}
    assert use.utilisation == 0.2


def test_a_day_not_begun_and_an_instrument_never_heard() -> None:
    tomorrow = day_use(DAY + dt.timedelta(days=1), [], [], SHANGHAI, now=at(10))
    assert (tomorrow.elapsed, tomorrow.utilisation) == (0.0, None)
    [silent] = use_per_day([], [], [DAY], SHANGHAI, now=at(48))
    assert silent.hours["offline"] == 24.0 and silent.utilisation == 0.0


def test_overlapping_reports_are_counted_once() -> None:
    intervals = [("running", at(1), at(5)), ("idle", at(3), at(7)), ("error", at(20), at(10))]
    use = day_use(DAY, intervals, [], SHANGHAI, now=at(24))
    assert (use.hours["running"], use.hours["idle"], use.hours["error"]) == (4.0, 2.0, 0.0)
    assert sum(use.hours.values()) == 24.0


def test_of_intervals_starting_together_the_one_that_ended_first_counts_first() -> None:
    """A state closed at the last heartbeat and the offline gap opened there start at the same
    moment; the database lists them in any order (PostgreSQL moves updated rows), so the
    order is by start, then end."""
    running, offline = ("running", at(4), at(6)), ("offline", at(4), at(7))
    for listed in ([running, offline], [offline, running]):
        use = day_use(DAY, listed, [], SHANGHAI, now=at(7))
        assert (use.hours["running"], use.hours["offline"]) == (2.0, 5.0)
