"""Network capability search on a national-size catalog, beside a primary-key lookup.

"Which labs can test lead by GB 5009.12, accredited?" over 1,370 labs and ~350,000
capabilities (`portlab generate --labs 1370 --capabilities 8427 --tests 0`): median and p95 of
the search selector (first 200 rows and the count, as the page shows them; target < 50 ms),
and of a capability read by primary key with the same joins, in the same run.

Run: ``python bench/bench_capability_search.py [--queries N]`` (DATABASE_URL selects the
database; a fresh SQLite file otherwise).
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable

from django_bench import setup_django


def timed(action: Callable[[], object], runs: list) -> list[float]:
    timings = []
    for argument in runs:
        started = time.perf_counter()
        action(argument)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    arguments = parser.parse_args()
    vendor = setup_django("capability-search")
    from portlab.demo.generate import generate
    from portlab.network.models import Capability, District, TestItem
    from portlab.network.search import MAX_ROWS, NetworkSearch, network_capability_search

    started = time.perf_counter()
    summary = generate(labs=1370, capabilities=8427, tests=0, prefix="S")
    print(f"{vendor}: generated {summary.labs} labs, {summary.capabilities:,} capabilities in "
          f"{time.perf_counter() - started:.0f} s")
    rng = random.Random(7)
    items = list(TestItem.objects.values_list("code", flat=True))
    districts = list(District.objects.values_list("id", flat=True))
    queries = []
    for _ in range(arguments.queries):
        code = rng.choice(items)
        number = int(code[2:])
        queries.append(rng.choice([
            NetworkSearch(code, f"SGB {number}", True),  # item + standard, accredited
            NetworkSearch(f"Item {number}", "", True),  # by name
            NetworkSearch(code, "", None, rng.choice(districts)),  # item in one district
            NetworkSearch("", f"SGB {number}", True),  # by standard only
        ]))

    def search(query: NetworkSearch) -> None:
        rows = network_capability_search(query)
        list(rows[:MAX_ROWS])
        rows.count()

    ids = list(Capability.objects.values_list("id", flat=True))
    picks = [rng.choice(ids) for _ in range(arguments.queries)]

    def by_key(pk: int) -> None:
        Capability.objects.select_related("lab__district", "test_item", "method__standard").get(
            pk=pk)

    timed(search, queries[:20])
    timed(by_key, picks[:20])
    ours, baseline = timed(search, queries), timed(by_key, picks)
    kinds: dict[str, list[float]] = {}
    for query, ms in zip(queries, ours, strict=True):
        kind = ("item+standard" if query.item and query.standard else
                "standard" if query.standard else
                "item in district" if query.district_id else "item by name")
        kinds.setdefault(kind, []).append(ms)
    for kind, values in sorted(kinds.items()):
        print(f"  {kind}: median {statistics.median(values):.2f} ms, p95 {p95(values):.2f} ms")
    print(f"network capability search: median {statistics.median(ours):.2f} ms, p95 "
          f"{p95(ours):.2f} ms (target < 50 ms); baseline primary-key lookup: median "
          f"{statistics.median(baseline):.2f} ms, p95 {p95(baseline):.2f} ms; ratio of medians "
          f"{statistics.median(ours) / statistics.median(baseline):.1f}")


if __name__ == "__main__":
    main()
