"""The time limit of `route`, read at each step from a clock the test controls: the limit is
checked after the greedy answer, after choosing candidate labs, and before every flow round
after the first; a limit reached exactly counts as passed (`>=`). The first flow round always
runs once candidates are chosen, so a solved routing has at least one flow bound."""

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


def test_a_limit_passed_while_choosing_candidates_returns_the_greedy_answer(monkeypatch) -> None:
    result = routed(monkeypatch, SteppedClock(calm=2, later=10.0))

    assert result.status == "greedy_time_limit"
    assert set(result.figures) == {"greedy_objective", "no_queue_bound"}
    assert (result.completion_days, len(result.assignments)) == (16, len(HAND_BATCH))


def test_just_inside_the_limit_the_flow_is_solved(monkeypatch) -> None:
    result = routed(monkeypatch, SteppedClock(calm=3, later=9.999))

    assert result.status == "solved"
    assert (result.completion_days, result.bound) == (14, 35.10089111328125)
    assert {"flow_1_bound", "flow_2_objective"} <= set(result.figures)


def test_a_limit_passed_after_the_first_round_keeps_its_answer(monkeypatch) -> None:
    clock = SteppedClock(calm=3, later=10.0)

    result = routed(monkeypatch, clock)

    assert result.status == "solved"
    assert "flow_1_bound" in result.figures
    assert "flow_2_objective" not in result.figures
    assert result.figures["flow_bound"] == result.figures["flow_1_bound"]
    # Round 1 gives the bound (round 2 only routes).
    assert (result.completion_days, result.bound) == (14, 35.10089111328125)
    assert clock.calls == 5  # start, two checks, before round 2, the elapsed time


@pytest.mark.parametrize("limit", [0.5, 10.0])
def test_the_deadline_is_the_start_plus_the_limit(monkeypatch, limit: float) -> None:
    inside = routed(monkeypatch, SteppedClock(calm=1, later=limit - 0.25), limit)
    passed = routed(monkeypatch, SteppedClock(calm=1, later=limit + 0.25), limit)

    assert (inside.status, passed.status) == ("solved", "greedy_time_limit")
