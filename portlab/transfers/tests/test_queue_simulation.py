"""The queue simulation: capability capacity, priority, FIFO, instrument runs shared, the
share of today's working day left."""

from collections import Counter
from datetime import time

import pytest

from portlab.transfers.queue_simulation import (
    HORIZON_DAYS,
    DayRange,
    Instrument,
    Job,
    Lateness,
    Plan,
    QueueState,
    all_done_by,
    completion_range,
    simulate,
    working_day_left,
)


def jobs(capability: str, count: int, start: int = 0, processing: int = 1,
         priority: int = 0) -> list[Job]:
    return [Job(f"{capability}{n}", capability, processing, priority, start + n)
            for n in range(count)]


def queue(*groups: list[Job]) -> QueueState:
    state = QueueState()
    for group in groups:
        for job in group:
            state.add(job)
    return state


def test_capability_capacity_and_first_come_first_served() -> None:
    plan = Plan({"pb": 2})
    days = simulate(queue(jobs("pb", 3)), plan, [Job("new", "pb", 5, 0, 10)])
    assert days == {"new": 1 + 5}  # 2 start on day 0, the 3rd and the new one on day 1


def test_priority_goes_before_earlier_arrivals() -> None:
    plan = Plan({"pb": 2})
    days = simulate(queue(jobs("pb", 5)), plan, [Job("urgent", "pb", 5, 1, 99)])
    assert days == {"urgent": 5}


def test_an_instrument_is_shared_by_its_capabilities_in_batches() -> None:
    # one run a day of 10 samples for both: 25 arsenic tests go first (earlier), 3 runs
    instrument = Instrument("icp", 1, 10, frozenset({"as", "pb"}))
    plan = Plan({"as": 100, "pb": 100}, (instrument,))
    days = simulate(queue(jobs("as", 25)), plan, [Job("new", "pb", 5, 0, 100)])
    assert days == {"new": 3 + 5}
    alone = simulate(queue(jobs("as", 25)), Plan({"as": 100, "pb": 100}),
                     [Job("new", "pb", 5, 0, 100)])
    assert alone == {"new": 5}


def test_a_run_takes_one_capability_and_the_capability_limit_holds() -> None:
    instrument = Instrument("gc", 2, 10, frozenset({"a", "b"}))
    state = queue(jobs("a", 4), jobs("b", 4, start=10))
    started = state.step(Plan({"a": 3, "b": 10}, (instrument,)))
    assert [job.key for job in started] == ["a0", "a1", "a2", "b0", "b1", "b2", "b3"]


def test_zero_capacity_or_an_instrument_down_never_starts() -> None:
    assert simulate(QueueState(), Plan({"pb": 0}), [Job("t", "pb", 5)]) == {"t": None}
    down = Plan({"pb": 40}, (Instrument("icp", 0, 10, frozenset({"pb"})),))
    assert simulate(QueueState(), down, [Job("t", "pb", 5)]) == {"t": None}


def test_an_instrument_down_today_runs_from_its_return_day() -> None:
    # one run of 10 a day, back on day 2: 15 waiting take days 2 and 3, the new test day 3
    plan = Plan({"pb": 40}, (Instrument("icp", 1, 10, frozenset({"pb"}), back_on=2),))
    days = simulate(queue(jobs("pb", 15)), plan, [Job("new", "pb", 5, 0, 99)])
    assert days == {"new": 3 + 5}
    assert plan.runs_on(1) == {"icp": 0} and plan.runs_on(2) is None
    never = Plan({"pb": 40}, (Instrument("icp", 1, 10, frozenset({"pb"}), back_on=HORIZON_DAYS),))
    assert simulate(QueueState(), never, [Job("t", "pb", 5)]) == {"t": None}


def test_the_simulation_does_not_change_the_queue() -> None:
    state = queue(jobs("pb", 3))
    simulate(state, Plan({"pb": 1}), [Job("new", "pb", 1, 0, 9)])
    assert len(state) == 3


def test_the_latest_test_decides_each_late_on_its_own() -> None:
    # half the tests finish on their simulated day, 30 % a day later, 20 % two days later
    lateness = Lateness(0, (0.5, 0.3, 0.2), low=0.1, high=0.9)
    assert completion_range([2], lateness) == DayRange(2, 2, 4)
    # both by day 2: 0.25, by day 3: 0.64: the median moves a day later
    assert completion_range([2, 2], lateness) == DayRange(3, 2, 4)
    # a test with two days' slack does not move it
    assert completion_range([0, 2], lateness) == DayRange(2, 2, 4)
    assert all_done_by(Counter([2, 2]), 3, lateness) == 0.8 ** 2
    early = Lateness(-2, (0.6, 0.4))
    assert completion_range([1], early) == DayRange(0, 0, 0)  # never before today
    with pytest.raises(ValueError, match="no test"):
        completion_range([], lateness)


def test_share_of_the_working_day_still_ahead() -> None:
    start, end = time(8, 30), time(17, 30)
    assert working_day_left(time(7, 0), start, end) == 1.0  # before opening: a whole day
    assert working_day_left(time(13, 0), start, end) == 0.5
    assert working_day_left(time(17, 30), start, end) == 0.0
    assert working_day_left(time(22, 0), start, end) == 0.0
    with pytest.raises(ValueError, match="ends"):
        working_day_left(time(9, 0), end, start)


def test_day_zero_offers_the_share_of_capacity_left() -> None:
    # a quarter of the day left: 5 of 20 start today (and 1 of the instrument's 3 runs of
    # 10), the rest from day 1
    plan = Plan({"pb": 20, "as": 40}, (Instrument("icp", 3, 10, frozenset({"as"})),),
                first_day_share=0.25)
    assert plan.capacity_on(0) == {"pb": 5, "as": 10} and plan.capacity_on(1) is None
    assert plan.runs_on(0) == {"icp": 1} and plan.runs_on(1) is None
    days = simulate(queue(jobs("pb", 24), jobs("as", 39)), plan,
                    [Job("pb-new", "pb", 2, 0, 99), Job("as-new", "as", 2, 0, 99)])
    # pb: 5 on day 0, 20 on day 1 (the 19 left and the new one); as: 10 on day 0, 30 on day 1
    assert days == {"pb-new": 1 + 2, "as-new": 1 + 2}
    whole = Plan({"pb": 20})
    assert simulate(queue(jobs("pb", 24)), whole, [Job("pb-new", "pb", 2, 0, 99)]) == {
        "pb-new": 1 + 2}
    assert simulate(queue(jobs("pb", 19)), whole, [Job("pb-new", "pb", 2, 0, 99)]) == {
        "pb-new": 0 + 2}
