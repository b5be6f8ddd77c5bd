"""Each application's best routing were it alone ahead of the labs' backlogs, found by branch
and bound, and a lower bound on it.

Alone, a test finishes at a lab on a known day (its earliest there), so an application's part
of the objective depends only on the labs it picks: its completion (the latest test's day),
days late, prices, shipments (0.5 point per day per lab other than the origin, once per
application) and sub-samples (one point per sample per lab beyond its first). The search tries
the possible completion days from the earliest; at each, every test may use the labs that
finish it by then, and a depth-first search picks them (tests with fewest labs first, each
test's labs cheapest first), pruning a branch when its cost, the least price of every test
left and the sub-samples still forced (a sample's remaining tests no lab already chosen for it
can do) reach the best found. Once it has an answer, it stops after ``NODE_LIMIT`` branches per
completion day; the least bound of the branches then left unexplored keeps its lower bound
valid.

Other tests of the batch only ever delay a test, and an application's cost never falls when
one of its tests finishes later, so the sum of these lower bounds bounds every routing of the
batch from below, over every lab the rules allow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from portlab.transfers.routing.data import Id, Weights
from portlab.transfers.routing.problem import Option, Problem
from portlab.transfers.routing.queues import time_points

NODE_LIMIT = 1000
INFINITY = float("inf")


class Choice(NamedTuple):
    """A lab a test may go to: its completion day there, price and shipment in points."""

    day: int
    price: float
    shipment: float  # the lab's shipment for the application (0 at the origin lab)
    lab: int


@dataclass(frozen=True, slots=True)
class Plan:
    labs: tuple[int, ...]  # per test of the application, in the order given
    completion: int  # the day the plan finishes the application
    cost: float  # its points: completion, lateness, prices, shipments, sub-samples
    lower: float  # a lower bound on every routing of the application
    nodes: int  # branches searched


class _Search:
    """The depth-first search for one completion day: labs in ``labs``, per test.

    Labs are numbered locally (0, 1, ... in order of first appearance) so that the counts the
    search keeps are lists, not dictionaries."""

    def __init__(self, labs: list[list[tuple[float, float, float, int, int]]],
                 samples: Sequence[int], split: float, limit: float) -> None:
        self.order = sorted(range(len(labs)), key=lambda test: len(labs[test]))
        ordered = [labs[test] for test in self.order]
        self.samples = [samples[test] for test in self.order]
        self.split = split
        self.best, self.found = limit, None  # type: float, list[int] | None
        self.frontier, self.nodes = INFINITY, 0
        count = len(labs)
        self.least_rest = [0.0] * (count + 1)
        for depth in range(count - 1, -1, -1):
            self.least_rest[depth] = self.least_rest[depth + 1] + min(
                price for _, price, _, _, _ in ordered[depth])
        self.lab_ids: list[int] = []  # local number → the network's lab
        local: dict[int, int] = {}
        cover: list[int] = []  # per local lab: the tests (by depth) it can do, as bits
        for depth, choices in enumerate(ordered):
            for _, _, _, lab, _ in choices:
                if lab not in local:
                    local[lab] = len(self.lab_ids)
                    self.lab_ids.append(lab)
                    cover.append(0)
                cover[local[lab]] |= 1 << depth
        # per depth: (price, shipment, local lab, what the lab can do), cheapest first
        self.labs = [[(price, shipment, local[lab], cover[local[lab]])
                      for _, price, shipment, lab, _ in choices] for choices in ordered]
        self.sample_bits = [0] * (max(samples) + 1)
        for depth, sample in enumerate(self.samples):
            self.sample_bits[sample] |= 1 << depth
        # per depth: its sample's tests after it, as bits
        self.left_after = [self.sample_bits[sample] & ~((2 << depth) - 1)
                           for depth, sample in enumerate(self.samples)]
        # a sample no one lab can do whole is split whatever the search picks
        self.split_anyway = [all(bits & ~lab_cover for lab_cover in cover)
                             for bits in self.sample_bits]
        self.in_sample = [[0] * len(cover) for _ in self.sample_bits]  # uses per local lab
        self.sample_labs = [0] * len(self.sample_bits)  # distinct labs each sample uses
        self.covered = [0] * len(self.sample_bits)  # per sample: what its chosen labs can do
        self.used = [0] * len(cover)
        self.chosen = [0] * count

    def forced(self, sample: int, depth: int) -> bool:
        """Whether the sample needs one more lab for its tests from ``depth`` on: none of the
        labs it already uses can do them all (with no lab yet, whether no one lab can)."""
        left = self.sample_bits[sample] & ~((1 << depth) - 1)
        if not left:
            return False
        if not self.sample_labs[sample]:
            return self.split_anyway[sample]
        return bool(left & ~self.covered[sample])

    def start(self) -> None:
        """Search from the root, with the sub-samples forced before any choice."""
        self.run(0, 0.0, sum(self.split_anyway))
        if self.found is not None:
            self.found = [self.lab_ids[lab] for lab in self.found]

    def run(self, depth: int, cost: float, forced: int) -> None:
        """Choose the test at ``depth``; ``forced`` counts the sub-samples still to come
        (see ``forced``), which only the chosen test's sample can change: once it has a lab,
        by whether its labs can do its tests after this one (``left_after``)."""
        if depth == len(self.labs):
            self.best, self.found = cost, list(self.chosen)
            return
        sample = self.samples[depth]
        in_sample, used, covered = self.in_sample[sample], self.used, self.covered
        rest, split, left = self.least_rest[depth + 1], self.split, self.left_after[depth]
        forced_before = forced - self.forced(sample, depth)
        was_covered, has_labs = covered[sample], self.sample_labs[sample]
        for price, shipment, lab, lab_cover in self.labs[depth]:
            add = price
            if not used[lab]:
                add += shipment
            if has_labs and not in_sample[lab]:
                add += split
            if cost + add + rest >= self.best:
                continue
            now_covered = was_covered | lab_cover
            forced_after = forced_before + (1 if left & ~now_covered else 0)
            bound = cost + add + rest + forced_after * split
            if bound >= self.best:
                continue
            if self.nodes >= NODE_LIMIT and self.best < INFINITY:
                self.frontier = min(self.frontier, bound)
                continue
            self.nodes += 1
            self.chosen[depth] = lab
            used[lab] += 1
            in_sample[lab] += 1
            if in_sample[lab] == 1:
                self.sample_labs[sample] += 1
            covered[sample] = now_covered
            self.run(depth + 1, cost + add, forced_after)
            covered[sample] = was_covered
            used[lab] -= 1
            in_sample[lab] -= 1
            if not in_sample[lab]:
                self.sample_labs[sample] -= 1


def plan_application(choices: Sequence[Sequence[Choice]], samples: Sequence[int],
                     due: int | None, weights: Weights) -> Plan:
    """The application's cheapest labs given each test's choices (every test has one), with
    ``samples`` numbering each test's sample from 0."""
    latest_earliest = max(min(choice.day for choice in found) for found in choices)
    days = sorted({choice.day for found in choices for choice in found
                   if choice.day >= latest_earliest})
    least_price = sum(min(choice.price for choice in found) for found in choices)
    ranked = [sorted((c.price + c.shipment, c.price, c.shipment, c.lab, c.day) for c in found)
              for found in choices]  # cheapest first, with its shipment
    best, best_labs, best_day, lower, nodes = INFINITY, None, 0, INFINITY, 0
    for day in days:
        base = time_points(day, due, weights)
        if base + least_price >= best:
            break
        allowed = [[choice for choice in found if choice[4] <= day] for found in ranked]
        search = _Search(allowed, samples, weights.split, best - base)
        search.start()
        nodes += search.nodes
        lower = min(lower, base + search.frontier)
        if search.found is not None:
            best, best_day = base + search.best, day
            best_labs = [0] * len(choices)
            for depth, test in enumerate(search.order):
                best_labs[test] = search.found[depth]
    # The first day lets every test use one lab, and the search runs to a first answer.
    assert best_labs is not None
    return Plan(tuple(best_labs), best_day, best, min(lower, best), nodes)


def _earliest(test: int, option: Option) -> int:
    return option.earliest


def application_choices(
    problem: Problem, app: int, weights: Weights,
    finish: Callable[[int, Option], int] = _earliest,
) -> tuple[list[list[Choice]], list[int]]:
    """Each test's choices (on the day ``finish`` gives, by default its earliest) and sample.

    A lab's shipment is the least any of the application's tests would pay to reach it (none
    when it is one of their origin labs), so that the search never counts more than the
    objective does."""
    tests = problem.app_tests[app]
    index = problem.net.lab_index
    origins = {index[problem.tests[test].origin_lab_id] for test in tests}
    shipment: dict[int, float] = {}
    for test in tests:
        for lab, option in problem.options[test].items():
            cost = 0.0 if lab in origins else weights.transport * option.transport
            if cost < shipment.get(lab, INFINITY):
                shipment[lab] = cost
    price = weights.price_per_1000 / 1000
    sample_index: dict[Id, int] = {}
    choices, samples = [], []
    for test in tests:
        choices.append([Choice(finish(test, option), price * option.price, shipment[lab], lab)
                        for lab, option in problem.options[test].items()])
        samples.append(sample_index.setdefault(problem.tests[test].sample_id, len(sample_index)))
    return choices, samples
