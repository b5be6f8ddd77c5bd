"""Benchmark: route 10,000 tests over 1,370 labs; compare with the greedy baseline.

Run: ``python bench/bench_routing.py [--tests N] [--labs N] [--seed N] [--repeat N]``.
Needs OR-Tools and NumPy, not Django. The network is synthetic but shaped like the national
one: 42 districts of ~33 labs, key / regional / routine labs with 300 / 120 / 40 capabilities
over 800 test items of skewed popularity, agreements inside each district, with the key labs
of the next districts and within item alliances.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portlab.transfers.routing import (  # noqa: E402
    Agreement,
    Capability,
    Id,
    Lab,
    RoutingNetwork,
    RoutingResult,
    TestRequest,
    TransportDays,
    route,
    route_greedy,
)

DISTRICTS = 42
CITIES_PER_DISTRICT = 3
ITEMS = 800
ALLIANCES = 5


def _cities(rng: random.Random) -> dict[str, tuple[float, float]]:
    cities = {}
    for district in range(DISTRICTS):
        centre = (rng.uniform(0, 4000), rng.uniform(0, 3000))
        for number in range(CITIES_PER_DISTRICT):
            offset = (rng.uniform(-250, 250), rng.uniform(-250, 250))
            cities[f"c{district}-{number}"] = (centre[0] + offset[0], centre[1] + offset[1])
    return cities


def _transport(cities: dict[str, tuple[float, float]]) -> TransportDays:
    def transport_days(city_from: str, city_to: str) -> int:
        if city_from == city_to:
            return 0
        return 1 + int(math.dist(cities[city_from], cities[city_to]) // 800)

    return transport_days


def _labs(rng: random.Random, count: int) -> tuple[list[Lab], list[str], list[int]]:
    labs, kinds, districts = [], [], []
    for number in range(count):
        district = number % DISTRICTS
        kind = rng.choices(["key", "regional", "routine"], [0.1, 0.3, 0.6])[0]
        capacity = {"key": rng.randint(20, 60), "regional": rng.randint(8, 25)}.get(
            kind, rng.randint(2, 10)
        )
        backlog = int(capacity * rng.uniform(0, 4))
        city = f"c{district}-{rng.randrange(CITIES_PER_DISTRICT)}"
        labs.append(Lab(f"L{number}", city, capacity, backlog))
        kinds.append(kind)
        districts.append(district)
    return labs, kinds, districts


def _capabilities(rng: random.Random, labs: list[Lab], kinds: list[str]) -> list[Capability]:
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(ITEMS)]
    base_price = [rng.randint(100, 3000) for _ in range(ITEMS)]
    base_turnaround = [rng.randint(1, 6) for _ in range(ITEMS)]
    capabilities = []
    for lab, kind in zip(labs, kinds, strict=True):
        wanted = {"key": 300, "regional": 120}.get(kind, 40)
        items: set[int] = set()
        while len(items) < wanted:
            items.update(rng.choices(range(ITEMS), popularity, k=wanted - len(items)))
        for item in sorted(items):
            capabilities.append(Capability(
                lab_id=lab.id,
                test_item_id=f"I{item}",
                accredited=rng.random() < 0.75,
                price=round(base_price[item] * rng.uniform(0.8, 1.2), 2),
                turnaround_days=max(1, base_turnaround[item] + rng.randint(-1, 1)),
            ))
    return capabilities


def _agreements(
    rng: random.Random, labs: list[Lab], kinds: list[str], districts: list[int]
) -> list[Agreement]:
    members: dict[int, list[Id]] = {}
    key_labs: dict[int, list[Id]] = {}
    for lab, kind, district in zip(labs, kinds, districts, strict=True):
        members.setdefault(district, []).append(lab.id)
        if kind == "key":
            key_labs.setdefault(district, []).append(lab.id)
    agreements: list[Agreement] = []
    for lab, district in zip(labs, districts, strict=True):
        neighbours = [(district + step) % DISTRICTS for step in (1, 2)]
        targets = members[district] + [t for n in neighbours for t in key_labs.get(n, [])]
        agreements.extend((lab.id, target, None) for target in targets if target != lab.id)
    for _ in range(ALLIANCES):
        alliance = rng.sample([lab.id for lab in labs], 30)
        for item in rng.sample(range(ITEMS), 10):
            agreements.extend(
                (a, b, f"I{item}") for a in alliance for b in alliance if a != b
            )
    return agreements


def _batch(rng: random.Random, labs: list[Lab], count: int) -> list[TestRequest]:
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(ITEMS)]
    weights = [lab.daily_capacity for lab in labs]
    tests: list[TestRequest] = []
    application = 0
    while len(tests) < count:
        origin = rng.choices(labs, weights)[0].id
        accreditation = rng.random() < 0.6
        due = rng.randint(4, 14)
        for sample in range(rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]):
            items = set(rng.choices(range(ITEMS), popularity, k=rng.randint(1, 6)))
            for item in sorted(items):
                tests.append(TestRequest(
                    id=len(tests), application_id=application, sample_id=f"{application}-{sample}",
                    test_item_id=f"I{item}", origin_lab_id=origin,
                    requires_accreditation=accreditation, due_day=due,
                ))
        application += 1
    return tests[:count]


def build(
    seed: int, lab_count: int, test_count: int
) -> tuple[list[TestRequest], RoutingNetwork, int]:
    """The batch, the network and its number of agreements."""
    rng = random.Random(seed)
    cities = _cities(rng)
    labs, kinds, districts = _labs(rng, lab_count)
    agreements = _agreements(rng, labs, kinds, districts)
    network = RoutingNetwork(
        labs=labs,
        capabilities=_capabilities(rng, labs, kinds),
        transport_days=_transport(cities),
        agreements=agreements,
    )
    return _batch(rng, labs, test_count), network, len(agreements)


def _timed(
    function: Callable[[], RoutingResult], repeat: int
) -> tuple[RoutingResult, float, float, float]:
    """The last result, and the median wall and CPU seconds over ``repeat`` runs."""
    wall: list[float] = []
    cpu: list[float] = []
    results = []
    for _ in range(max(1, repeat)):
        started, started_cpu = time.perf_counter(), time.process_time()
        results.append(function())
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return results[-1], statistics.median(wall), statistics.median(cpu), max(wall)


def _report(routed: RoutingResult, greedy: RoutingResult) -> None:
    reasons = Counter(test.reason.value for test in routed.unplaced)
    print(f"placed {len(routed.assignments)}, unplaced {len(routed.unplaced)} {dict(reasons)}")
    print(f"applications {len(routed.application_completion)}, status {routed.status.value}")
    print(f"objective (sum of application completion days): {routed.objective}")
    figures = routed.figures
    print(f"bound: {routed.bound:.1f}  (flow round 1 {figures['flow_1_bound']:.1f}, "
          f"round 2 {figures.get('flow_2_bound', 0):.1f}, "
          f"no-queue {figures['no_queue_bound']:.0f})  gap {routed.gap:.2%}")
    print(f"flow model: {routed.figures['flow_nodes']:.0f} nodes, "
          f"{routed.figures['flow_arcs']:.0f} arcs")
    print(f"greedy baseline objective: {greedy.objective}  gap to bound "
          f"{(greedy.objective - routed.bound) / greedy.objective:.2%}")
    ratio = greedy.objective / routed.objective
    print(f"ratio greedy / routed (sum of completion days): {ratio:.3f}")
    print(f"price routed {routed.total_price:,.0f}  greedy {greedy.total_price:,.0f}")
    late_routed = sum(a.late for a in routed.assignments)
    late_greedy = sum(a.late for a in greedy.assignments)
    print(f"late tests routed {late_routed}  greedy {late_greedy}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tests", type=int, default=10_000)
    parser.add_argument("--labs", type=int, default=1_370)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    tests, network, agreements = build(arguments.seed, arguments.labs, arguments.tests)
    print(f"{len(tests)} tests over {len(network.labs)} labs, "
          f"{len(network.capabilities)} capabilities, {agreements} agreements")
    routed, wall, cpu, slowest = _timed(lambda: route(tests, network), arguments.repeat)
    greedy, greedy_wall, greedy_cpu, _ = _timed(
        lambda: route_greedy(tests, network), arguments.repeat
    )
    _report(routed, greedy)
    print(f"time route: median {wall:.3f} s wall, {cpu:.3f} s CPU, slowest {slowest:.3f} s "
          f"over {arguments.repeat} runs")
    print(f"time greedy baseline: median {greedy_wall:.3f} s wall, {greedy_cpu:.3f} s CPU; "
          f"route / greedy time ratio {wall / greedy_wall:.2f}")
    print(f"machine load average (1 min) during the run: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
