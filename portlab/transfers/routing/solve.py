"""Route a batch: check, place greedily, plan each application, queue, plan again the delayed."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from portlab.transfers.routing.data import (
    Assignment,
    RoutingNetwork,
    RoutingResult,
    RoutingStatus,
    TestRequest,
    Weights,
)
from portlab.transfers.routing.greedy import greedy_labs
from portlab.transfers.routing.improve import move_tests, replan, resequence
from portlab.transfers.routing.network import index_network
from portlab.transfers.routing.plans import Plan, application_choices, plan_application
from portlab.transfers.routing.problem import Problem, build_problem, due_day
from portlab.transfers.routing.queues import Score, application_completion, schedule, score

DEFAULT_TIME_LIMIT_SECONDS = 10.0
DEFAULT_WEIGHTS = Weights()
# The clock the time limit is read from (tests replace it to pass the limit at a chosen step).
_clock = time.perf_counter


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


def _greedy(problem: Problem, weights: Weights) -> _Routing:
    lab_of, _, completion = greedy_labs(problem)
    return _routing(problem, lab_of, completion, weights)


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
    greedy = _greedy(problem, weights)
    bound = no_queue_bound(problem, weights)
    return _result(problem, greedy, RoutingStatus.GREEDY, bound, started, {})


def route(
    tests: Sequence[TestRequest],
    network: RoutingNetwork,
    *,
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS,
    weights: Weights = DEFAULT_WEIGHTS,
) -> RoutingResult:
    """Send every test of the batch to a lab, minimising the weighted objective (completion,
    tardiness, price, transport, sub-samples: see the package docstring); tests no rule lets
    any lab take are returned in ``unplaced`` with the reason. If the time limit passes before
    the applications are planned, the greedy answer is returned (status
    ``greedy_time_limit``). Raises RoutingInputError on input no routing can be built on.
    """
    with _garbage_collection_paused():
        return _route(tests, network, time_limit_seconds, weights)


def _route(
    tests: Sequence[TestRequest],
    network: RoutingNetwork,
    time_limit_seconds: float,
    weights: Weights,
) -> RoutingResult:
    started = _clock()
    deadline = started + time_limit_seconds
    problem = build_problem(index_network(network), tests)
    if not problem.tests:
        return _result(problem, None, RoutingStatus.EMPTY, 0.0, started, {})
    greedy = _greedy(problem, weights)
    no_queue = no_queue_bound(problem, weights)
    figures: dict[str, float] = {"greedy_objective": greedy.objective, "no_queue_bound": no_queue}
    if _clock() >= deadline:
        return _result(problem, greedy, RoutingStatus.GREEDY_TIME_LIMIT, no_queue, started, figures)
    plans = [plan_application(*application_choices(problem, app, weights),
                              problem.app_due[app], weights)
             for app in range(len(problem.app_ids))]
    bound = sum(plan.lower for plan in plans)
    figures.update({"plans_bound": bound, "plans_objective": sum(plan.cost for plan in plans),
                    "plans_nodes": sum(plan.nodes for plan in plans)})
    planned = _planned_routing(problem, plans, weights, deadline, figures)
    best = min(planned, greedy, key=lambda routing: (routing.objective, routing.score.price))
    moved = move_tests(problem, best.lab_of, _queue_order(problem, best), weights,
                       lambda: _clock() < deadline)
    if moved is not None:
        found = _evaluate(problem, *moved, weights)
        figures["moved_objective"] = found.objective
        best = min(best, found, key=lambda routing: (routing.objective, routing.score.price))
    return _result(problem, best, RoutingStatus.SOLVED, max(bound, no_queue), started, figures)


def _queue_order(problem: Problem, routing: _Routing) -> list[tuple[int, int, int]]:
    """An order in which the labs take the tests that gives back ``routing``'s days: by the
    day each test finishes less its transport and turnaround (its queue day), then due day."""
    order = []
    for test, (lab, day) in enumerate(zip(routing.lab_of, routing.completion, strict=True)):
        option = problem.options[test][lab]
        order.append((day - option.transport - option.turnaround,
                      due_day(problem.tests[test]), test))
    return order


def _planned_routing(problem: Problem, plans: list[Plan], weights: Weights, deadline: float,
                     figures: dict[str, float]) -> _Routing:
    """Each application at its planned labs; the labs take first the tests with the least
    room before their application's planned day, then reorder; the applications that still
    finish after their plan are planned again against the queues the others leave."""
    lab_of = [0] * len(problem.tests)
    for app, plan in enumerate(plans):
        for test, lab in zip(problem.app_tests[app], plan.labs, strict=True):
            lab_of[test] = lab
    rank = []
    for test, lab in enumerate(lab_of):
        option, app = problem.options[test][lab], problem.app_of[test]
        rank.append((plans[app].completion - option.transport - option.turnaround,
                     due_day(problem.tests[test]), app, test))
    rank_found, placed = resequence(problem, lab_of, rank, weights)
    routing = _routing(problem, lab_of, placed[1], weights)
    figures["queued_objective"] = routing.objective
    latest = routing.app_completion
    delayed = sorted((app for app, plan in enumerate(plans) if latest[app] > plan.completion),
                     key=lambda app: (plans[app].completion - latest[app], app))
    figures["delayed_applications"] = len(delayed)
    if not delayed or _clock() >= deadline:
        return routing
    labs, replanned_rank = replan(problem, lab_of, rank_found, placed, delayed, weights)
    replanned = _routing(problem, labs, resequence(problem, labs, replanned_rank, weights)[1][1],
                         weights)
    figures["replanned_objective"] = replanned.objective
    return min(routing, replanned, key=lambda found: (found.objective, found.score.price))
