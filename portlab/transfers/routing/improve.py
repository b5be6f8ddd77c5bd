"""From the flow's answer to a routing: samples kept together, queues reordered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from portlab.transfers.routing.candidates import bundle_key
from portlab.transfers.routing.problem import Problem, due_day
from portlab.transfers.routing.queues import application_completion, schedule

RESEQUENCE_ROUNDS = 5


def keep_samples_together(problem: Problem, lab_of: list[int]) -> list[int]:
    """Move each split sample that one lab could do whole to the lab holding most of it."""
    together = list(lab_of)
    for bundle in problem.bundles:
        labs = Counter(lab_of[test] for test in bundle.tests)
        if not bundle.common or len(labs) == 1:
            continue
        chosen = min(labs, key=lambda lab: (-labs[lab], bundle_key(problem, bundle, lab)))
        for test in bundle.tests:
            together[test] = chosen
    return together


def weight_rank(problem: Problem, weight: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """The flow's own queue order: heavier tests first, then due day, then batch order."""
    return [
        (-weight[position], due_day(test), problem.app_of[position], position)
        for position, test in enumerate(problem.tests)
    ]


def resequence(problem: Problem, lab_of: list[int], rank: Sequence[object]) -> list[int]:
    """Reorder each lab's queue by the day each test may leave it without delaying its
    application (earliest first), while that lowers the sum of application completion days.

    Returns every test's completion day in the best order found.
    """
    best_rank: Sequence[object] = rank
    best_days = schedule(problem, lab_of, best_rank)
    best_apps = application_completion(problem, best_days)
    for _ in range(RESEQUENCE_ROUNDS):
        slack_rank: list[object] = []
        for position, lab in enumerate(lab_of):
            option = problem.options[position][lab]
            app = problem.app_of[position]
            latest_queue_day = best_apps[app] - option.transport - option.turnaround
            slack_rank.append((latest_queue_day, best_rank[position]))
        days = schedule(problem, lab_of, slack_rank)
        apps = application_completion(problem, days)
        if sum(apps) >= sum(best_apps):
            break
        best_rank, best_days, best_apps = slack_rank, days, apps
    return best_days
