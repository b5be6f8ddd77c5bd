"""The greedy answer: samples by due day, each to the lab where it would finish first."""

from __future__ import annotations

from collections.abc import Sequence

from portlab.transfers.routing.capacity import Slots
from portlab.transfers.routing.problem import Problem


def _finish_and_price(
    problem: Problem, group: Sequence[int], lab: int, slots: Slots
) -> tuple[int, float]:
    """When the group would finish at the lab and what it would cost (nothing is kept)."""
    if len(group) == 1:  # nothing of its own ahead of it: no slot to take and give back
        option = problem.options[group[0]][lab]
        return option.transport + slots.earliest(option.route)[0] + option.turnaround, option.price
    finish, price, taken = 0, 0.0, []
    for test in group:
        option = problem.options[test][lab]
        day, pool = slots.earliest(option.route)
        slots.take(option.route, day, pool)
        taken.append((option.route, day, pool))
        finish = max(finish, option.transport + day + option.turnaround)
        price += option.price
    for route, day, pool in taken:
        slots.give_back(route, day, pool)
    return finish, price


def _best_lab(problem: Problem, group: Sequence[int], labs: Sequence[int], slots: Slots) -> int:
    """The lab where the group would finish first, then the cheapest, then the first listed."""
    best_lab, best_key = labs[0], (float("inf"), float("inf"))
    for lab in labs:
        key = _finish_and_price(problem, group, lab, slots)
        if key < best_key:
            best_lab, best_key = lab, key
    return best_lab


def greedy_labs(problem: Problem) -> tuple[list[int], list[int], list[int]]:
    """Lab of every placed test, the order (rank) each lab works them in (first come) and the
    day each test finishes: what ``queues.schedule`` gives for that rank.

    Samples go by earliest due day, then application and batch order; a sample goes whole
    to one lab when some lab can do all its tests, otherwise test by test.
    """
    slots = Slots(problem.net.capacity, problem.net.backlog)
    lab_of = [-1] * len(problem.tests)
    rank = [0] * len(problem.tests)
    completion = [0] * len(problem.tests)
    placed = 0
    for bundle in sorted(problem.bundles, key=lambda bundle: bundle.priority):
        groups = [bundle.tests] if bundle.common else [(test,) for test in bundle.tests]
        for group in groups:
            labs = bundle.common or tuple(problem.options[group[0]])
            lab = _best_lab(problem, group, labs, slots)
            for test in group:
                option = problem.options[test][lab]
                day = slots.place(option.route)
                lab_of[test], rank[test] = lab, placed
                completion[test] = option.transport + day + option.turnaround
                placed += 1
    return lab_of, rank, completion
