"""Benchmark: route 10,000 tests over 1,370 labs; compare with the greedy baseline.

Run: ``python bench/bench_routing.py [--tests N] [--labs N] [--seed N] [--repeat N]``.
Needs OR-Tools and NumPy, not Django. The network is synthetic but shaped like the national
one: 42 districts of ~33 labs, key / regional / routine labs with 300 / 120 / 40 capabilities
over 800 test items of skewed popularity, agreements inside each district, with the key labs
of the next districts and within item alliances. Capacity is where it is: each capability
starts 1-4 tests a day (more at key labs), a third have 1-3 days of backlog; the 80 most
popular items are measured on instruments (runs per day × samples per run: 2-4 × 4-12), each
shared by 3-8 of the lab's capabilities, and 3 % of instruments are down for the whole
horizon. Applications are due in 4-14 days.

Then (``--small`` alone: only this) it routes the three contended 250-270-test instances of
``portlab/transfers/tests/test_routing.py`` (30 labs in 4 cities, 25 items, labs of 0-6 tests a
day with backlogs: a lab's routing page), with and without the single-test moves such batches
get (``routing/improve.py``, ``move_tests``), alternated.
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
    Instrument,
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
INSTRUMENT_ITEMS = 80  # the most popular items are measured on shared instruments


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


def _labs(rng: random.Random, count: int) -> tuple[list[Lab], list[str], list[int], list[int]]:
    """Labs (no bench: every capability states its own capacity), kinds, districts, sizes."""
    labs, kinds, districts, sizes = [], [], [], []
    for number in range(count):
        district = number % DISTRICTS
        kind = rng.choices(["key", "regional", "routine"], [0.1, 0.3, 0.6])[0]
        capacity = {"key": rng.randint(20, 60), "regional": rng.randint(8, 25)}.get(
            kind, rng.randint(2, 10)
        )
        rng.uniform(0, 4)  # the former lab backlog's draw, kept so the instance stays comparable
        city = f"c{district}-{rng.randrange(CITIES_PER_DISTRICT)}"
        labs.append(Lab(f"L{number}", city))
        sizes.append(capacity)
        kinds.append(kind)
        districts.append(district)
    return labs, kinds, districts, sizes


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
            capacity = rng.randint(1, 4) * (3 if kind == "key" else 1)
            backlog = capacity * rng.randint(1, 3) if rng.random() < 1 / 3 else 0
            capabilities.append(Capability(
                lab_id=lab.id,
                test_item_id=f"I{item}",
                accredited=rng.random() < 0.75,
                price=round(base_price[item] * rng.uniform(0.8, 1.2), 2),
                turnaround_days=max(1, base_turnaround[item] + rng.randint(-1, 1)),
                daily_capacity=capacity,
                backlog=backlog,
            ))
    return capabilities


def _instruments(rng: random.Random, capabilities: list[Capability]) -> list[Instrument]:
    """Per lab, its capabilities for the popular items grouped onto shared instruments."""
    by_lab: dict[Id, list[Id]] = {}
    for capability in capabilities:
        if int(str(capability.test_item_id)[1:]) < INSTRUMENT_ITEMS:
            by_lab.setdefault(capability.lab_id, []).append(capability.test_item_id)
    instruments = []
    for lab_id, items in by_lab.items():
        rng.shuffle(items)
        while items:
            shared = items[:rng.randint(3, 8)]
            items = items[len(shared):]
            down = rng.random() < 0.03
            capacity = 0 if down else rng.randint(2, 4) * rng.randint(4, 12)
            instruments.append(Instrument(f"{lab_id}-M{len(instruments)}", lab_id, capacity,
                                          frozenset(shared)))
    return instruments


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


def _batch(rng: random.Random, labs: list[Lab], sizes: list[int],
           count: int) -> list[TestRequest]:
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(ITEMS)]
    weights = sizes
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
    labs, kinds, districts, sizes = _labs(rng, lab_count)
    agreements = _agreements(rng, labs, kinds, districts)
    capabilities = _capabilities(rng, labs, kinds)
    network = RoutingNetwork(
        labs=labs,
        capabilities=capabilities,
        transport_days=_transport(cities),
        agreements=agreements,
        instruments=_instruments(rng, capabilities),
    )
    return _batch(rng, labs, sizes, test_count), network, len(agreements)


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
    print("objective (points: 1 per application-day, 4 per day late, 1 per 1,000 of price, "
          f"0.5 per shipment-day, 1 per split sample): {routed.objective:,.1f}")
    figures = routed.figures
    print(f"full-problem bound: {routed.bound:,.1f}  (plans {figures.get('plans_bound', 0):,.1f}, "
          f"no-queue {figures['no_queue_bound']:,.1f})  gap {routed.gap:.2%}")
    print(f"plans: each application alone {figures.get('plans_objective', 0):,.1f} "
          f"({figures.get('plans_nodes', 0):,.0f} branches searched), queued "
          f"{figures.get('queued_objective', 0):,.1f}, "
          f"{figures.get('delayed_applications', 0):.0f} delayed applications planned again: "
          f"{figures.get('replanned_objective', 0):,.1f}")
    for name, result in (("routed", routed), ("greedy", greedy)):
        late = sum(a.late for a in result.assignments)
        print(f"{name}: objective {result.objective:,.1f}, application-days "
              f"{result.completion_days:,}, days late {result.late_days:,}, "
              f"price {result.total_price:,.0f}, late tests {late}")
    greedy_gap = (greedy.objective - routed.bound) / greedy.objective
    print(f"greedy baseline gap to the bound {greedy_gap:.2%}; "
          f"ratio greedy / routed objective {greedy.objective / routed.objective:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tests", type=int, default=10_000)
    parser.add_argument("--labs", type=int, default=1_370)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    # A loaded machine stretches wall time (CPU time is what the figure is about): the limit
    # is set high enough that the applications are always planned, so figures are comparable.
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--small", action="store_true")
    arguments = parser.parse_args()
    if arguments.small:
        small_batches(arguments.repeat)
        return
    tests, network, agreements = build(arguments.seed, arguments.labs, arguments.tests)
    load_at_start = os.getloadavg()[0]
    print(f"{len(tests)} tests over {len(network.labs)} labs, "
          f"{len(network.capabilities)} capabilities, {agreements} agreements")
    routed, wall, cpu, slowest = _timed(
        lambda: route(tests, network, time_limit_seconds=arguments.time_limit), arguments.repeat)
    greedy, greedy_wall, greedy_cpu, _ = _timed(
        lambda: route_greedy(tests, network), arguments.repeat
    )
    _report(routed, greedy)
    print(f"time route: median {wall:.3f} s wall, {cpu:.3f} s CPU, slowest {slowest:.3f} s "
          f"over {arguments.repeat} runs")
    print(f"time greedy baseline: median {greedy_wall:.3f} s wall, {greedy_cpu:.3f} s CPU; "
          f"route / greedy time ratio {wall / greedy_wall:.2f}")
    print(f"machine load average (1 min) at the start and the end: {load_at_start:.2f}, "
          f"{os.getloadavg()[0]:.2f}")
    small_batches(arguments.repeat)


def small_batches(repeat: int) -> None:
    """The contended instances of test_routing.py, with the moves and without (the same
    routing with ``MOVE_TESTS`` set to 0), and greedy's, in one run."""
    from portlab.transfers.routing import improve
    from portlab.transfers.tests.test_routing import random_instance

    for seed in (1, 2, 3):
        tests, network = random_instance(seed)

        def routed(tests=tests, network=network) -> RoutingResult:
            return route(tests, network)

        moved, moved_wall, moved_cpu, _ = _timed(routed, repeat)
        limit, improve.MOVE_TESTS = improve.MOVE_TESTS, 0
        try:
            plain, plain_wall, plain_cpu, _ = _timed(routed, repeat)
        finally:
            improve.MOVE_TESTS = limit
        greedy = route_greedy(tests, network)
        print(f"instance {seed}: {len(tests)} tests; with moves {moved.objective:,.1f} points "
              f"(gap {moved.gap:.2%}) in {moved_wall * 1000:.0f} ms wall, "
              f"{moved_cpu * 1000:.0f} ms CPU; without {plain.objective:,.1f} (gap "
              f"{plain.gap:.2%}) in {plain_wall * 1000:.0f} ms, {plain_cpu * 1000:.0f} ms CPU; "
              f"greedy {greedy.objective:,.1f}; bound {moved.bound:,.1f}; moved / not moved "
              f"{moved.objective / plain.objective:.3f}")


if __name__ == "__main__":
    main()
