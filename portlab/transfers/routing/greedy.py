"""The greedy answer: samples by due day, each to the lab where it would finish first."""

from __future__ import annotations

from collections.abc import Sequence

from portlab.transfers.routing.problem import Problem
from portlab.transfers.routing.queues import queue_day


def _finish_and_price(
    problem: Problem, group: Sequence[int], lab: int, load: int
) -> tuple[int, float]:
    net = problem.net
    if len(group) == 1:
        option = problem.options[group[0]][lab]
        queue = queue_day(net.backlog[lab], load + 1, net.capacity[lab])
        return queue + option.transport + option.turnaround, option.price
    options = [problem.options[test][lab] for test in group]
    queue = queue_day(net.backlog[lab], load + len(group), net.capacity[lab])
    finish = queue + max(option.transport + option.turnaround for option in options)
    return finish, sum(option.price for option in options)


def _best_lab(
    problem: Problem, group: Sequence[int], labs: Sequence[int], load: list[int]
) -> int:
    """The lab where the group would finish first, then the cheapest, then the first listed."""
    best_lab, best_key = labs[0], (float("inf"), float("inf"))
    for lab in labs:
        key = _finish_and_price(problem, group, lab, load[lab])
        if key < best_key:
            best_lab, best_key = lab, key
    return best_lab


def greedy_labs(problem: Problem) -> tuple[list[int], list[int]]:
    """Lab of every placed test and the order (rank) each lab works them in: first come.

    Samples go by earliest due day, then application and batch order; a sample goes whole
    to one lab when some lab can do all its tests, otherwise test by test.
    """
    load = [0] * len(problem.net.lab_ids)
    lab_of = [-1] * len(problem.tests)
    rank = [0] * len(problem.tests)
    placed = 0
    for bundle in sorted(problem.bundles, key=lambda bundle: bundle.priority):
        groups = [bundle.tests] if bundle.common else [(test,) for test in bundle.tests]
        for group in groups:
            labs = bundle.common or tuple(problem.options[group[0]])
            lab = _best_lab(problem, group, labs, load)
            load[lab] += len(group)
            for test in group:
                lab_of[test], rank[test] = lab, placed
                placed += 1
    return lab_of, rank
