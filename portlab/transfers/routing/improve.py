"""From the flow's answer to a routing: samples kept together, queues reordered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from portlab.transfers.routing.candidates import bundle_key
from portlab.transfers.routing.data import Weights
from portlab.transfers.routing.problem import Problem, due_day
from portlab.transfers.routing.queues import application_completion, schedule

RESEQUENCE_ROUNDS = 5


def keep_samples_together(problem: Problem, lab_of: list[int]) -> list[int]:
    """Move each split sample that one lab could do whole to the lab (of those that can)
    holding most of it."""
    together = list(lab_of)
    for bundle in problem.bundles:
        labs = Counter(lab_of[test] for test in bundle.tests)
        if not bundle.common or len(labs) == 1:
            continue
        common = set(bundle.common)
        held = [lab for lab in labs if lab in common] or bundle.common
        chosen = min(held, key=lambda lab: (-labs[lab], bundle_key(problem, bundle, lab)))
        for test in bundle.tests:
            together[test] = chosen
    return together


def weight_rank(problem: Problem, weight: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """The flow's own queue order: heavier tests first, then due day, then batch order."""
    return [
        (-weight[position], due_day(test), problem.app_of[position], position)
        for position, test in enumerate(problem.tests)
    ]


def _time_points(problem: Problem, apps: Sequence[int], weights: Weights) -> int:
    """The objective's part a queue order changes: completion and tardiness."""
    late = sum(max(0, day - due) for day, due in zip(apps, problem.app_due, strict=True)
               if due is not None)
    return weights.completion * sum(apps) + weights.tardiness * late


def resequence(problem: Problem, lab_of: list[int], rank: Sequence[object],
               weights: Weights) -> list[int]:
    """Reorder each lab's queue by the day each test may leave it without delaying its
    application (earliest first), while that lowers completion and tardiness points.

    Returns every test's completion day in the best order found.
    """
    best_rank: Sequence[object] = rank
    best_days = schedule(problem, lab_of, best_rank)
    best_apps = application_completion(problem, best_days)
    best_points = _time_points(problem, best_apps, weights)
    for _ in range(RESEQUENCE_ROUNDS):
        slack_rank: list[object] = []
        for position, lab in enumerate(lab_of):
            option = problem.options[position][lab]
            app = problem.app_of[position]
            latest_queue_day = best_apps[app] - option.transport - option.turnaround
            slack_rank.append((latest_queue_day, best_rank[position]))
        days = schedule(problem, lab_of, slack_rank)
        apps = application_completion(problem, days)
        points = _time_points(problem, apps, weights)
        if points >= best_points:
            break
        best_rank, best_days, best_apps, best_points = slack_rank, days, apps, points
    return best_days
