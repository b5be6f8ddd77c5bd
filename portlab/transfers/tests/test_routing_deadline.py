"""The time limit of `route`, read at each step from a clock the test controls: the limit is
checked after the greedy answer, before the delayed applications are planned again and before
each pass of single-test moves; a
limit reached exactly counts as passed (`>=`). Once the greedy answer is in time, every
application is planned, so a solved routing always has the plans' bound."""

from __future__ import annotations

import pytest

from portlab.transfers.routing import route, solve
from portlab.transfers.tests.test_routing import HAND_BATCH, HAND_NETWORK


class SteppedClock:
    """Reads 0.0 for the first `calm` calls, then `later` for every call after."""

    def __init__(self, calm: int, later: float) -> None:
        self.calm, self.later, self.calls = calm, later, 0

    def __call__(self) -> float:
        self.calls += 1
        return 0.0 if self.calls <= self.calm else self.later


def routed(monkeypatch, clock: SteppedClock, limit: float = 10.0):
    monkeypatch.setattr(solve, "_clock", clock)
    return route(HAND_BATCH, HAND_NETWORK, time_limit_seconds=limit)


def test_a_limit_passed_after_the_greedy_answer_returns_it(monkeypatch) -> None:
    clock = SteppedClock(calm=1, later=10.0)  # exactly on the limit

    result = routed(monkeypatch, clock)

    assert result.status == "greedy_time_limit"
    assert (result.completion_days, result.bound) == (16, result.figures["no_queue_bound"])
    assert set(result.figures) == {"greedy_objective", "no_queue_bound"}
    assert result.seconds == 10.0
    assert clock.calls == 3  # start, the check after greedy (no candidates chosen), elapsed


def test_a_limit_passed_after_queueing_skips_planning_again(monkeypatch) -> None:
    clock = SteppedClock(calm=2, later=10.0)

    result = routed(monkeypatch, clock)

    assert result.status == "solved"
    assert "replanned_objective" not in result.figures
    assert "moved_objective" not in result.figures
    # The plans queued (56.6 points) lose to the greedy answer (49.62), which is returned.
    assert (result.figures["queued_objective"], result.objective) == pytest.approx((56.6, 49.62))
    assert result.bound == pytest.approx(33.6)
    # start, after greedy, before planning again, before the first pass of moves, elapsed
    assert clock.calls == 5


def test_just_inside_the_limit_the_delayed_applications_are_planned_again(monkeypatch) -> None:
    result = routed(monkeypatch, SteppedClock(calm=2, later=9.999))

    assert result.status == "solved"
    assert result.figures["replanned_objective"] == pytest.approx(49.62)
    assert result.figures["moved_objective"] == pytest.approx(36.64)
    assert (result.completion_days, result.bound) == (14, pytest.approx(33.6))


def test_a_limit_passed_during_the_moves_keeps_the_moves_found(monkeypatch) -> None:
    # Calls: start, after greedy, before planning again, before the first pass of moves (in
    # time), before the second pass (passed), elapsed.
    clock = SteppedClock(calm=4, later=10.0)

    result = routed(monkeypatch, clock)

    assert result.status == "solved"
    assert result.figures["moved_objective"] == pytest.approx(result.objective)
    assert result.objective < 49.62
    assert clock.calls == 6


@pytest.mark.parametrize("limit", [0.5, 10.0])
def test_the_deadline_is_the_start_plus_the_limit(monkeypatch, limit: float) -> None:
    inside = routed(monkeypatch, SteppedClock(calm=1, later=limit - 0.25), limit)
    passed = routed(monkeypatch, SteppedClock(calm=1, later=limit + 0.25), limit)

    assert (inside.status, passed.status) == ("solved", "greedy_time_limit")
