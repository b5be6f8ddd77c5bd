"""From the applications' plans to a routing: queues reordered, delayed applications planned
again against the queues the others leave."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from portlab.transfers.routing.data import Weights
from portlab.transfers.routing.plans import application_choices, plan_application
from portlab.transfers.routing.problem import Option, Problem
from portlab.transfers.routing.queues import (
    Placed,
    application_completion,
    application_points,
    placed_schedule,
    schedule,
    score,
)

RESEQUENCE_ROUNDS = 5


def _time_points(problem: Problem, apps: Sequence[int], weights: Weights) -> int:
    """The objective's part a queue order changes: completion and tardiness."""
    late = sum(max(0, day - due) for day, due in zip(apps, problem.app_due, strict=True)
               if due is not None)
    return weights.completion * sum(apps) + weights.tardiness * late


def resequence(problem: Problem, lab_of: list[int], rank: Sequence[object],
               weights: Weights) -> tuple[list[object], Placed]:
    """Reorder each lab's queue by the day each test may leave it without delaying its
    application (earliest first), while that lowers completion and tardiness points.

    Returns the best order found and the batch placed in that order (``placed_schedule``: the
    slots taken, every test's completion day, its queue day and pool).
    """
    best_rank: list[object] = list(rank)
    best = placed_schedule(problem, lab_of, best_rank)
    best_apps = application_completion(problem, best[1])
    best_points = _time_points(problem, best_apps, weights)
    for _ in range(RESEQUENCE_ROUNDS):
        slack_rank: list[object] = []
        for position, lab in enumerate(lab_of):
            option = problem.options[position][lab]
            app = problem.app_of[position]
            latest_queue_day = best_apps[app] - option.transport - option.turnaround
            slack_rank.append((latest_queue_day, best_rank[position]))
        placed = placed_schedule(problem, lab_of, slack_rank)
        apps = application_completion(problem, placed[1])
        points = _time_points(problem, apps, weights)
        if points >= best_points:
            break
        best_rank, best, best_apps, best_points = slack_rank, placed, apps, points
    return best_rank, best


class _Queues:
    """The batch placed in the labs' slots, one application taken out and put back at a time."""

    def __init__(self, problem: Problem, lab_of: list[int], placed: Placed) -> None:
        self.problem = problem
        self.slots, completion, taken = placed  # the slots become this object's
        self.completion, self.taken = list(completion), list(taken)
        self.lab_of = list(lab_of)

    def _route(self, test: int) -> Option:
        return self.problem.options[test][self.lab_of[test]]

    def take_out(self, tests: Sequence[int]) -> None:
        for test in tests:
            self.slots.give_back(self._route(test).route, *self.taken[test])

    def put(self, tests: Sequence[int], labs: Sequence[int]) -> None:
        for test, lab in zip(tests, labs, strict=True):
            self.lab_of[test] = lab
            option = self._route(test)
            day, pool = self.slots.earliest(option.route)
            self.slots.take(option.route, day, pool)
            self.taken[test] = (day, pool)
            self.completion[test] = option.transport + day + option.turnaround

    def finish(self, test: int, option: Option) -> int:
        """The day the test would finish there, in the slots left now."""
        return option.transport + self.slots.earliest(option.route)[0] + option.turnaround

    def finish_beside_own(self, test: int, option: Option) -> int:
        """The same, its application placed: at its own lab, the day it finishes now."""
        if option.lab == self.lab_of[test]:
            return self.completion[test]
        return self.finish(test, option)


def replan(problem: Problem, lab_of: list[int], rank: Sequence[object], placed: Placed,
           apps: Sequence[int], weights: Weights) -> tuple[list[int], list[object]]:
    """Take each given application out of the queues and plan it again on the days the other
    tests leave (a second time seeing its own first choice placed, for tests of one
    application that would share a queue); keep the new labs when they cost less.

    ``placed`` is the batch placed in ``rank`` order (``resequence`` gives both); its slots are
    taken over. Returns the labs and the order in which the labs then take the tests (by queue
    day).
    """
    queues = _Queues(problem, lab_of, placed)
    for app in apps:
        tests = problem.app_tests[app]
        best_labs = [queues.lab_of[test] for test in tests]
        best = application_points(problem, app, queues.lab_of, queues.completion, weights)
        queues.take_out(tests)
        for attempt, finish in enumerate((queues.finish, queues.finish_beside_own)):
            choices, samples = application_choices(problem, app, weights, finish)
            labs = plan_application(choices, samples, problem.app_due[app], weights).labs
            if attempt:
                queues.take_out(tests)
            queues.put(tests, labs)
            points = application_points(problem, app, queues.lab_of, queues.completion, weights)
            if points < best:
                best, best_labs = points, list(labs)
        queues.take_out(tests)
        queues.put(tests, best_labs)
    new_rank: list[object] = [(day, rank[test]) for test, (day, _) in enumerate(queues.taken)]
    return queues.lab_of, new_rank


# Batches of at most this many placed tests get the moves below; a move is checked by
# scheduling the whole batch again, which a national batch could not afford in seconds.
MOVE_TESTS = 300
MOVE_PASSES = 3


def move_tests(problem: Problem, lab_of: list[int], rank: Sequence[object], weights: Weights,
               in_time: Callable[[], bool]) -> tuple[list[int], list[object]] | None:
    """Move single tests to other allowed labs while the whole objective falls (first
    improvement, up to ``MOVE_PASSES`` passes over the tests, each queue then reordered). A
    moved test is tried at its place in the order and at the end of its new lab's queue.

    This catches what planning one application at a time cannot see: moving one test to a
    dearer lab that frees a queue another application needs. Returns the labs and the queue
    order when a move helped, None otherwise (and for batches above ``MOVE_TESTS`` tests).
    ``in_time`` is asked before each pass; once it says no, the moves found so far stand.
    """
    if len(lab_of) > MOVE_TESTS:
        return None
    labs, order = list(lab_of), list(rank)
    last = (float("inf"),)
    best = _objective(problem, labs, order, weights)
    improved = False
    for _ in range(MOVE_PASSES):
        if not in_time():
            break
        moved = False
        for test in range(len(labs)):
            options = problem.options[test]
            current, key = labs[test], order[test]
            for lab in sorted(options, key=lambda lab: (options[lab].earliest, lab)):
                if lab == current:
                    continue
                labs[test] = lab
                for place in (key, (*last, order[test])):
                    order[test] = place
                    points = _objective(problem, labs, order, weights)
                    if points < best - 1e-9:
                        best, current, key, moved = points, lab, place, True
                labs[test], order[test] = current, key
        if not moved:
            break
        improved = True
        order, _ = resequence(problem, labs, order, weights)
        best = _objective(problem, labs, order, weights)
    return (labs, order) if improved else None


def _objective(problem: Problem, lab_of: list[int], rank: Sequence[object],
               weights: Weights) -> float:
    days = application_completion(problem, schedule(problem, lab_of, rank))
    return score(problem, lab_of, days, weights).points
