"""The min-cost-flow model: tests → (lab, weight) → (lab, day) → sink.

See the package docstring for the model and why its optimum gives a lower bound.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from portlab.transfers.routing.problem import Problem
from portlab.transfers.routing.queues import queue_day

# OR-Tools refuses costs that overflow int64 once multiplied by the number of nodes.
COST_LIMIT = 2**62
PRICE_STEPS = 10_000  # price resolution: one step is 1/10,000 of the dearest candidate


class FlowSolveError(RuntimeError):
    """OR-Tools did not report an optimal flow (should not happen: the model is feasible)."""


@dataclass(slots=True)
class FlowAnswer:
    lab_of: list[int]
    bound: float  # lower bound on the sum of application completion days
    arcs: int
    nodes: int


@dataclass(slots=True)
class _Model:
    """Arcs as parallel lists; each arc's cost is time × price_steps + price."""

    problem: Problem
    candidates: list[list[int]]
    weight: list[int]
    tails: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    capacities: list[int] = field(default_factory=list)
    times: list[int] = field(default_factory=list)  # weight × days
    prices: list[float] = field(default_factory=list)
    node_count: int = 0

    def new_node(self) -> int:
        self.node_count += 1
        return self.node_count - 1

    def add(self, tail: int, head: int, capacity: int, time: int, price: float = 0.0) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.capacities.append(capacity)
        self.times.append(time)
        self.prices.append(price)


def _add_test_arcs(model: _Model) -> dict[tuple[int, int], int]:
    """Test → (lab, weight) arcs; returns the (lab, weight) nodes made for them."""
    problem = model.problem
    class_nodes: dict[tuple[int, int], int] = {}
    heads, times, prices = model.heads, model.times, model.prices
    for test, labs in enumerate(model.candidates):
        weight, options = model.weight[test], problem.options[test]
        for lab in labs:
            node = class_nodes.get((lab, weight))
            if node is None:
                node = class_nodes[(lab, weight)] = model.new_node()
            option = options[lab]
            heads.append(node)
            times.append(weight * (option.transport + option.turnaround))
            prices.append(option.price)
        model.tails.extend([test] * len(labs))
    model.capacities.extend([1] * (len(heads) - len(model.capacities)))
    return class_nodes


def _add_day_arcs(model: _Model, class_nodes: dict[tuple[int, int], int], sink: int) -> None:
    """(lab, weight) → (lab, day) → sink, with days enough for every test that may come."""
    net = model.problem.net
    may_come = Counter(lab for labs in model.candidates for lab in labs)
    weights_at: dict[int, list[tuple[int, int]]] = {}
    for (lab, weight), node in class_nodes.items():
        weights_at.setdefault(lab, []).append((weight, node))
    for lab, classes in weights_at.items():
        backlog, capacity = net.backlog[lab], net.capacity[lab]
        day, held = queue_day(backlog, 1, capacity), 0
        while held < may_come[lab]:
            room = day * capacity - backlog - held
            day_node = model.new_node()
            for weight, class_node in classes:
                model.add(class_node, day_node, room, weight * day)
            model.add(day_node, sink, room, 0)
            held, day = held + room, day + 1


def _costs(model: _Model) -> tuple[np.ndarray, int, int]:
    """Integer arc costs, the price steps per unit of time, and the most price any flow pays.

    Time comes first: a test's whole price range is worth less than one unit of its time.
    """
    times = np.asarray(model.times, dtype=np.int64)
    prices = np.asarray(model.prices, dtype=np.float64)
    fitting = COST_LIMIT // ((model.node_count + 1) * max(1, int(times.max())))
    steps = max(1, min(PRICE_STEPS, fitting))
    dearest = float(prices.max()) or 1.0
    price_steps = np.floor(prices / dearest * (steps - 1)).astype(np.int64)
    test_arcs = sum(len(labs) for labs in model.candidates)
    most_paid, arc = 0, 0
    for labs in model.candidates:
        most_paid += int(price_steps[arc:arc + len(labs)].max())
        arc += len(labs)
    costs = times * steps + price_steps
    costs[test_arcs:] = times[test_arcs:] * steps
    return costs, steps, most_paid


def _solve(model: _Model, sink: int) -> tuple[list[int], float]:
    """Flows on the test arcs and the least weighted time any flow can reach."""
    tests = len(model.problem.tests)
    costs, steps, most_paid = _costs(model)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.asarray(model.tails, dtype=np.int32),
        np.asarray(model.heads, dtype=np.int32),
        np.asarray(model.capacities, dtype=np.int64),
        costs,
    )
    supplies = np.zeros(model.node_count, dtype=np.int64)
    supplies[:tests] = 1
    supplies[sink] = -tests
    solver.set_nodes_supplies(np.arange(model.node_count, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise FlowSolveError(f"min-cost flow ended with status {status}")
    test_arcs = sum(len(labs) for labs in model.candidates)
    flows = solver.flows(np.arange(test_arcs, dtype=np.int32))
    # Every flow costs at least the optimum and pays at most most_paid in price steps.
    least_time = math.ceil((int(solver.optimal_cost()) - most_paid) / steps)
    return [int(flow) for flow in flows], least_time


def solve_flow(
    problem: Problem, candidates: list[list[int]], weight: list[int], scale: int
) -> FlowAnswer:
    """Solve the relaxation exactly: each test alone to one candidate lab-day slot."""
    model = _Model(problem, candidates, weight, node_count=len(problem.tests))
    class_nodes = _add_test_arcs(model)
    sink = model.new_node()
    _add_day_arcs(model, class_nodes, sink)
    flows, least_time = _solve(model, sink)
    lab_of, arc = [-1] * len(problem.tests), 0
    for test, labs in enumerate(candidates):
        for lab in labs:
            if flows[arc]:
                lab_of[test] = lab
            arc += 1
    return FlowAnswer(lab_of, least_time / scale, len(model.tails), model.node_count)
