"""The min-cost-flow model: tests → (queue, weight, slack) → (queue, day) → sink, plus one arc
per test straight to the sink for "any other allowed lab".

See the package docstring for the model and why its optimum is a lower bound on the whole
problem's. Costs are in points × S (the weight scale), rounded down, so the optimum / S never
exceeds the relaxation's.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from portlab.transfers.routing.candidates import lower_cost
from portlab.transfers.routing.capacity import relaxed_room
from portlab.transfers.routing.data import Weights
from portlab.transfers.routing.problem import Option, Problem

ELSEWHERE = -1  # the flow sent the test to a lab outside its candidates


class FlowSolveError(RuntimeError):
    """OR-Tools did not report an optimal flow (should not happen: the model is feasible)."""


@dataclass(slots=True)
class FlowAnswer:
    lab_of: list[int]  # per test: its lab, or ELSEWHERE
    elsewhere: list[int]  # per test: the allowed lab outside its candidates costing least
    bound: float  # lower bound on the objective, over every allowed lab
    arcs: int
    nodes: int


@dataclass(slots=True)
class _Model:
    problem: Problem
    candidates: list[list[int]]
    weight: list[int]
    scale: int
    weights: Weights
    tails: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    capacities: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    node_count: int = 0

    def new_node(self) -> int:
        self.node_count += 1
        return self.node_count - 1

    def add(self, tail: int, head: int, capacity: int, cost: float) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.capacities.append(capacity)
        self.costs.append(cost)

    def time_cost(self, weight: int, day: int, slack: int | None) -> float:
        """Weighted completion and tardiness of a test finishing on ``day`` (slack: the last
        day it is on time, None: no due day)."""
        late = 0 if slack is None else max(0, day - slack)
        return weight * (self.weights.completion * day + self.weights.tardiness * late)

    def fixed_cost(self, test: int, option: Option) -> float:
        """Price and the test's share of a shipment (its application's tests share one)."""
        problem, weights = self.problem, self.weights
        size = problem.app_size[problem.app_of[test]]
        points = (weights.price_per_1000 * option.price / 1000
                  + weights.transport * option.transport / size)
        return self.scale * points


def _days(model: _Model, queue: int, may_come: int) -> list[tuple[int, int]]:
    """The queue's days with room, from the first, until they hold every test that may come."""
    net = model.problem.net
    owns, pools = net.queues[queue].owns, net.queues[queue].pools
    days, held, day = [], 0, 1
    while held < may_come:
        room = relaxed_room(net.backlog, owns, pools, day)
        if room is None or room >= may_come - held:
            days.append((day, may_come - held))
            break
        if room > 0:
            days.append((day, room))
            held += room
        day += 1
    return days


def _slack(problem: Problem, test: int, option: Option) -> int | None:
    due = problem.app_due[problem.app_of[test]]
    return None if due is None else due - option.transport - option.turnaround


def _add_tests(model: _Model, sink: int) -> list[int]:
    """Test → class arcs (a class: queue, weight, clamped slack), the elsewhere arcs and the
    days; returns per test the lab of its elsewhere arc (-1: none)."""
    problem = model.problem
    may_come = Counter(problem.options[test][lab].queue
                       for test, labs in enumerate(model.candidates) for lab in labs)
    days = {queue: _days(model, queue, count) for queue, count in may_come.items()}
    classes: dict[tuple[int, int, int | None], int] = {}
    elsewhere = []
    for test, labs in enumerate(model.candidates):
        weight, options = model.weight[test], problem.options[test]
        for lab in labs:
            option = options[lab]
            row = days[option.queue]
            slack = _slack(problem, test, option)
            clamped = None if slack is None else min(max(slack, row[0][0] - 1), row[-1][0])
            key = (option.queue, weight, clamped)
            if key not in classes:
                classes[key] = model.new_node()
            shift = 0 if slack is None else max(0, clamped - slack)  # type: ignore[operator]
            cost = (model.time_cost(weight, option.transport + option.turnaround, None)
                    + weight * model.weights.tardiness * shift + model.fixed_cost(test, option))
            model.add(test, classes[key], 1, cost)
        lab, cost = _elsewhere(model, test, set(labs))
        model.add(test, sink, 1, cost)
        elsewhere.append(lab)
    by_queue: dict[int, list[tuple[int, int | None, int]]] = {}
    for (queue, weight, slack), node in classes.items():
        by_queue.setdefault(queue, []).append((weight, slack, node))
    _add_days(model, days, by_queue, sink)
    return elsewhere


def _elsewhere(model: _Model, test: int, candidates: set[int]) -> tuple[int, float]:
    """The allowed lab outside the test's candidates where it can cost least (see
    ``lower_cost``), and that cost (-1 and infinity when there is none)."""
    problem, weight = model.problem, model.weight[test]
    best_lab, best = -1, math.inf
    for lab, option in problem.options[test].items():
        if lab not in candidates:
            cost = lower_cost(problem, test, option, weight, model.scale, model.weights)
            if cost < best:
                best_lab, best = lab, cost
    return best_lab, best


def _add_days(model: _Model, days: dict[int, list[tuple[int, int]]],
              by_queue: dict[int, list[tuple[int, int | None, int]]], sink: int) -> None:
    """(queue, weight, slack) → (queue, day) → sink, each day holding its room."""
    for queue, classes in by_queue.items():
        for day, room in days[queue]:
            day_node = model.new_node()
            for weight, slack, class_node in classes:
                model.add(class_node, day_node, room, model.time_cost(weight, day, slack))
            model.add(day_node, sink, room, 0.0)


def _solve(model: _Model, sink: int) -> tuple[list[int], int]:
    """Flows on every arc, and the optimal cost (in points × S, rounded down per arc)."""
    tests = len(model.problem.tests)
    costs = np.asarray(model.costs, dtype=np.float64)
    finite = np.isfinite(costs)
    arcs = np.flatnonzero(finite)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.asarray(model.tails, dtype=np.int32)[arcs],
        np.asarray(model.heads, dtype=np.int32)[arcs],
        np.asarray(model.capacities, dtype=np.int64)[arcs],
        np.floor(costs[arcs]).astype(np.int64),
    )
    supplies = np.zeros(model.node_count, dtype=np.int64)
    supplies[:tests] = 1
    supplies[sink] = -tests
    solver.set_nodes_supplies(np.arange(model.node_count, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise FlowSolveError(f"min-cost flow ended with status {status}")
    flows = np.zeros(len(costs), dtype=np.int64)
    flows[arcs] = solver.flows(np.arange(len(arcs), dtype=np.int32))
    return flows.tolist(), int(solver.optimal_cost())


def solve_flow(problem: Problem, candidates: list[list[int]], weight: list[int], scale: int,
               weights: Weights) -> FlowAnswer:
    """Solve the relaxation exactly: each test to one candidate lab-day slot, or elsewhere."""
    model = _Model(problem, candidates, weight, scale, weights, node_count=len(problem.tests))
    sink = model.new_node()
    elsewhere = _add_tests(model, sink)
    flows, optimum = _solve(model, sink)
    lab_of, arc = [ELSEWHERE] * len(problem.tests), 0
    for test, labs in enumerate(candidates):
        for lab in labs:
            if flows[arc]:
                lab_of[test] = lab
            arc += 1
        arc += 1  # the elsewhere arc
    return FlowAnswer(lab_of, elsewhere, optimum / scale, len(model.tails), model.node_count)
