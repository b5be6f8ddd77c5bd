"""Route a batch: check, place greedily, solve the flow model, keep samples together."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from portlab.transfers.routing.candidates import (
    application_weights,
    candidate_labs,
    critical_tests,
)
from portlab.transfers.routing.data import (
    Assignment,
    RoutingInputError,
    RoutingNetwork,
    RoutingResult,
    RoutingStatus,
    TestRequest,
)
from portlab.transfers.routing.flow import solve_flow
from portlab.transfers.routing.greedy import greedy_labs
from portlab.transfers.routing.improve import keep_samples_together, resequence, weight_rank
from portlab.transfers.routing.network import index_network
from portlab.transfers.routing.problem import Problem, build_problem
from portlab.transfers.routing.queues import application_completion, schedule

DEFAULT_TIME_LIMIT_SECONDS = 10.0
# The clock the time limit is read from (tests replace it to pass the limit at a chosen step).
_clock = time.perf_counter
DEFAULT_CANDIDATE_LABS = 4
# The second round gains most of what re-weighting can (a tighter bound); a third, little.
FLOW_ROUNDS = 2


@dataclass(frozen=True, slots=True)
class _Routing:
    """One complete answer for the placeable tests, with its figures."""

    lab_of: list[int]
    completion: list[int]
    app_completion: list[int]
    objective: int
    price: float


@contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """Routing allocates some 10^5 small acyclic objects; the collector's passes over the
    whole heap that this triggers would cost more than the routing itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _routing(problem: Problem, lab_of: list[int], completion: list[int]) -> _Routing:
    app_completion = application_completion(problem, completion)
    price = sum(problem.options[test][lab].price for test, lab in enumerate(lab_of))
    return _Routing(lab_of, completion, app_completion, sum(app_completion), price)


def _evaluate(problem: Problem, lab_of: list[int], rank: Sequence[object]) -> _Routing:
    return _routing(problem, lab_of, schedule(problem, lab_of, rank))


def no_queue_bound(problem: Problem) -> int:
    """Sum over applications of their latest test's earliest completion at any allowed lab:
    a lower bound for every routing, since it ignores the batch's own queueing."""
    latest = [0] * len(problem.app_ids)
    for earliest, app in zip(problem.earliest, problem.app_of, strict=True):
        latest[app] = max(latest[app], earliest)
    return sum(latest)


def _result(
    problem: Problem,
    routing: _Routing | None,
    status: RoutingStatus,
    bound: float,
    started: float,
    figures: dict[str, float],
) -> RoutingResult:
    assignments: list[Assignment] = []
    if routing is not None:
        lab_ids = problem.net.lab_ids
        for position, test in enumerate(problem.tests):
            lab, day = routing.lab_of[position], routing.completion[position]
            assignments.append(Assignment(
                test_id=test.id,
                lab_id=lab_ids[lab],
                completion_day=day,
                price=problem.options[position][lab].price,
                transferred=lab_ids[lab] != test.origin_lab_id,
                late=test.due_day is not None and day > test.due_day,
            ))
    objective = routing.objective if routing else 0
    return RoutingResult(
        status=status,
        assignments=tuple(assignments),
        unplaced=tuple(problem.unplaced),
        objective=objective,
        bound=bound,
        gap=(objective - bound) / objective if objective else 0.0,
        total_price=routing.price if routing else 0.0,
        application_completion=(
            dict(zip(problem.app_ids, routing.app_completion, strict=True)) if routing else {}
        ),
        labs_without_capacity=problem.net.labs_without_capacity,
        seconds=_clock() - started,
        figures=figures,
    )


def route_greedy(tests: Sequence[TestRequest], network: RoutingNetwork) -> RoutingResult:
    """The greedy answer alone: the baseline and the fallback."""
    with _garbage_collection_paused():
        return _route_greedy(tests, network)


def _route_greedy(tests: Sequence[TestRequest], network: RoutingNetwork) -> RoutingResult:
    started = _clock()
    problem = build_problem(index_network(network), tests)
    if not problem.tests:
        return _result(problem, None, RoutingStatus.EMPTY, 0.0, started, {})
    greedy = _evaluate(problem, *greedy_labs(problem))
    bound = no_queue_bound(problem)
    return _result(problem, greedy, RoutingStatus.GREEDY, bound, started, {})


def route(
    tests: Sequence[TestRequest],
    network: RoutingNetwork,
    *,
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS,
    candidate_count: int = DEFAULT_CANDIDATE_LABS,
) -> RoutingResult:
    """Send every test of the batch to a lab so that applications finish as early as possible.

    Minimises the sum of application completion days, then the price; tests no rule lets any
    lab take are returned in ``unplaced`` with the reason. If the time limit passes before the
    solver has answered, the greedy answer is returned (status ``greedy_time_limit``).
    Raises RoutingInputError on input no routing can be built on.
    """
    if candidate_count < 1:
        raise RoutingInputError(f"candidate_count must be ≥ 1, not {candidate_count}")
    with _garbage_collection_paused():
        return _route(tests, network, time_limit_seconds, candidate_count)


def _route(
    tests: Sequence[TestRequest],
    network: RoutingNetwork,
    time_limit_seconds: float,
    candidate_count: int,
) -> RoutingResult:
    started = _clock()
    deadline = started + time_limit_seconds
    problem = build_problem(index_network(network), tests)
    if not problem.tests:
        return _result(problem, None, RoutingStatus.EMPTY, 0.0, started, {})
    greedy_lab_of, greedy_rank = greedy_labs(problem)
    greedy = _evaluate(problem, greedy_lab_of, greedy_rank)
    no_queue = no_queue_bound(problem)
    figures: dict[str, float] = {"greedy_objective": greedy.objective, "no_queue_bound": no_queue}
    if _clock() >= deadline:
        return _result(problem, greedy, RoutingStatus.GREEDY_TIME_LIMIT, no_queue, started, figures)
    candidates = candidate_labs(problem, greedy_lab_of, candidate_count)
    if _clock() >= deadline:
        return _result(problem, greedy, RoutingStatus.GREEDY_TIME_LIMIT, no_queue, started, figures)
    best, bound = _flow_rounds(problem, candidates, greedy, deadline, figures)
    return _result(problem, best, RoutingStatus.SOLVED, max(bound, no_queue), started, figures)


def _flow_rounds(
    problem: Problem,
    candidates: list[list[int]],
    greedy: _Routing,
    deadline: float,
    figures: dict[str, float],
) -> tuple[_Routing, float]:
    """Solve the flow, first weighting each application's test that finishes last on an
    empty batch, then the one that finished last in the previous round's routing.

    Returns the best routing (greedy's included) and the best flow bound.
    """
    best, bound = greedy, 0.0
    critical = critical_tests(problem, problem.earliest)
    for flow_round in range(1, FLOW_ROUNDS + 1):
        if flow_round > 1 and _clock() >= deadline:
            break
        weight, scale = application_weights(problem, critical)
        answer = solve_flow(problem, candidates, weight, scale)
        lab_of = keep_samples_together(problem, answer.lab_of)
        completion = resequence(problem, lab_of, weight_rank(problem, weight))
        solved = _routing(problem, lab_of, completion)
        figures.update({
            f"flow_{flow_round}_bound": answer.bound,
            f"flow_{flow_round}_objective": solved.objective,
            "flow_arcs": answer.arcs,
            "flow_nodes": answer.nodes,
        })
        bound = max(bound, answer.bound)
        best = min(best, solved, key=lambda routing: (routing.objective, routing.price))
        critical = critical_tests(problem, solved.completion)
    figures["flow_bound"] = bound
    return best, bound
