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
    Weights,
)
from portlab.transfers.routing.flow import ELSEWHERE, FlowAnswer, solve_flow
from portlab.transfers.routing.greedy import greedy_labs
from portlab.transfers.routing.improve import keep_samples_together, resequence, weight_rank
from portlab.transfers.routing.network import index_network
from portlab.transfers.routing.problem import Problem, build_problem
from portlab.transfers.routing.queues import Score, application_completion, schedule, score

DEFAULT_TIME_LIMIT_SECONDS = 10.0
DEFAULT_WEIGHTS = Weights()
# The clock the time limit is read from (tests replace it to pass the limit at a chosen step).
_clock = time.perf_counter
DEFAULT_CANDIDATE_LABS = 4
# Round 1 gives the bound, round 2 (every test weighed fully) most often the routing.
FLOW_ROUNDS = 2


@dataclass(frozen=True, slots=True)
class _Routing:
    """One complete answer for the placeable tests, with its figures."""

    lab_of: list[int]
    completion: list[int]
    app_completion: list[int]
    score: Score

    @property
    def objective(self) -> float:
        return self.score.points


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


def _routing(problem: Problem, lab_of: list[int], completion: list[int],
             weights: Weights) -> _Routing:
    app_completion = application_completion(problem, completion)
    return _Routing(lab_of, completion, app_completion,
                    score(problem, lab_of, app_completion, weights))


def _evaluate(problem: Problem, lab_of: list[int], rank: Sequence[object],
              weights: Weights) -> _Routing:
    return _routing(problem, lab_of, schedule(problem, lab_of, rank), weights)


def no_queue_bound(problem: Problem, weights: Weights) -> float:
    """A lower bound for every routing, since it ignores the batch's own queueing: each
    application finishing with its latest test's earliest completion at any allowed lab, and
    each test at its least price and shipment share (see the package docstring)."""
    latest = [0] * len(problem.app_ids)
    for earliest, app in zip(problem.earliest, problem.app_of, strict=True):
        latest[app] = max(latest[app], earliest)
    points = 0.0
    for day, due in zip(latest, problem.app_due, strict=True):
        late = 0 if due is None else max(0, day - due)
        points += weights.completion * day + weights.tardiness * late
    for test, options in enumerate(problem.options):
        size = problem.app_size[problem.app_of[test]]
        points += min(weights.price_per_1000 * option.price / 1000
                      + weights.transport * option.transport / size
                      for option in options.values())
    return points + forced_splits(problem, weights)


def forced_splits(problem: Problem, weights: Weights) -> float:
    """Samples no single lab can do whole are split at least once, in every routing."""
    return weights.split * sum(1 for bundle in problem.bundles if not bundle.common)


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
    objective = routing.objective if routing else 0.0
    return RoutingResult(
        status=status,
        assignments=tuple(assignments),
        unplaced=tuple(problem.unplaced),
        objective=objective,
        bound=bound,
        gap=(objective - bound) / objective if objective else 0.0,
        total_price=routing.score.price if routing else 0.0,
        application_completion=(
            dict(zip(problem.app_ids, routing.app_completion, strict=True)) if routing else {}
        ),
        labs_without_capacity=problem.net.labs_without_capacity,
        seconds=_clock() - started,
        figures=figures,
        completion_days=routing.score.completion_days if routing else 0,
        late_days=routing.score.late_days if routing else 0,
    )


def route_greedy(tests: Sequence[TestRequest], network: RoutingNetwork, *,
                 weights: Weights = DEFAULT_WEIGHTS) -> RoutingResult:
    """The greedy answer alone: the baseline and the fallback."""
    with _garbage_collection_paused():
        return _route_greedy(tests, network, weights)


def _route_greedy(tests: Sequence[TestRequest], network: RoutingNetwork,
                  weights: Weights) -> RoutingResult:
    started = _clock()
    problem = build_problem(index_network(network), tests)
    if not problem.tests:
        return _result(problem, None, RoutingStatus.EMPTY, 0.0, started, {})
    greedy = _evaluate(problem, *greedy_labs(problem), weights)
    bound = no_queue_bound(problem, weights)
    return _result(problem, greedy, RoutingStatus.GREEDY, bound, started, {})


def route(
    tests: Sequence[TestRequest],
    network: RoutingNetwork,
    *,
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS,
    candidate_count: int = DEFAULT_CANDIDATE_LABS,
    weights: Weights = DEFAULT_WEIGHTS,
) -> RoutingResult:
    """Send every test of the batch to a lab, minimising the weighted objective (completion,
    tardiness, price, transport: see the package docstring); tests no rule lets any
    lab take are returned in ``unplaced`` with the reason. If the time limit passes before the
    solver has answered, the greedy answer is returned (status ``greedy_time_limit``).
    Raises RoutingInputError on input no routing can be built on.
    """
    if candidate_count < 1:
        raise RoutingInputError(f"candidate_count must be ≥ 1, not {candidate_count}")
    with _garbage_collection_paused():
        return _route(tests, network, time_limit_seconds, candidate_count, weights)


def _route(
    tests: Sequence[TestRequest],
    network: RoutingNetwork,
    time_limit_seconds: float,
    candidate_count: int,
    weights: Weights,
) -> RoutingResult:
    started = _clock()
    deadline = started + time_limit_seconds
    problem = build_problem(index_network(network), tests)
    if not problem.tests:
        return _result(problem, None, RoutingStatus.EMPTY, 0.0, started, {})
    greedy_lab_of, greedy_rank = greedy_labs(problem)
    greedy = _evaluate(problem, greedy_lab_of, greedy_rank, weights)
    no_queue = no_queue_bound(problem, weights)
    figures: dict[str, float] = {"greedy_objective": greedy.objective, "no_queue_bound": no_queue}
    if _clock() >= deadline:
        return _result(problem, greedy, RoutingStatus.GREEDY_TIME_LIMIT, no_queue, started, figures)
    weight, _scale = application_weights(problem, critical_tests(problem, problem.earliest))
    candidates = candidate_labs(problem, greedy_lab_of, candidate_count, weight, weights)
    if _clock() >= deadline:
        return _result(problem, greedy, RoutingStatus.GREEDY_TIME_LIMIT, no_queue, started, figures)
    best, bound = _flow_rounds(problem, candidates, greedy, deadline, figures, weights)
    return _result(problem, best, RoutingStatus.SOLVED, max(bound, no_queue), started, figures)


def _flow_rounds(
    problem: Problem,
    candidates: list[list[int]],
    greedy: _Routing,
    deadline: float,
    figures: dict[str, float],
    weights: Weights,
) -> tuple[_Routing, float]:
    """Round 1 weights each application's test that finishes last on an empty batch: its
    optimum is the bound. Round 2 weighs every test fully (its optimum bounds nothing: it
    asks every test to finish early, not only the one that decides its application's day),
    over the candidates and the labs round 1 chose elsewhere.

    Returns the best routing (greedy's included) and the bound.
    """
    best, bound = greedy, 0.0
    critical = critical_tests(problem, problem.earliest)
    for flow_round in range(1, FLOW_ROUNDS + 1):
        if flow_round > 1 and _clock() >= deadline:
            break
        weight, scale = application_weights(problem, critical)
        if flow_round > 1:
            weight = [scale] * len(weight)
        answer = solve_flow(problem, candidates, weight, scale, weights)
        solved = _flow_routing(problem, answer, weight, weights)
        figures.update({
            f"flow_{flow_round}_objective": solved.objective,
            f"flow_{flow_round}_elsewhere": answer.lab_of.count(ELSEWHERE),
            "flow_arcs": answer.arcs,
            "flow_nodes": answer.nodes,
        })
        if flow_round == 1:
            bound = figures["flow_1_bound"] = answer.bound + forced_splits(problem, weights)
        best = min(best, solved, key=lambda routing: (routing.objective, routing.score.price))
        # The labs the flow wanted outside the candidates join them for the next round.
        for test, lab in enumerate(answer.lab_of):
            if lab == ELSEWHERE:
                candidates[test] = [*candidates[test], answer.elsewhere[test]]
    figures["flow_bound"] = bound
    return best, bound


def _flow_routing(problem: Problem, answer: FlowAnswer, weight: list[int],
                  weights: Weights) -> _Routing:
    """The flow's labs as they are, and with each split sample moved whole to one lab: the
    better of the two (a split costs its sub-samples and shipments in the objective)."""
    lab_of = [answer.elsewhere[test] if lab == ELSEWHERE else lab
              for test, lab in enumerate(answer.lab_of)]
    rank = weight_rank(problem, weight)
    together = keep_samples_together(problem, lab_of)
    routings = []
    for labs in (lab_of, together) if together != lab_of else (lab_of,):
        routings.append(_routing(problem, labs, resequence(problem, labs, rank, weights), weights))
    return min(routings, key=lambda routing: (routing.objective, routing.score.price))
