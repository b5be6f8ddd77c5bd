"""Quality board for one district with 2,000,000 tests: each board query's time and the total,
against a plain COUNT(*) over the tests in the same run (target: board < 1 s).

    .venv/bin/python bench/bench_quality_board.py [--tests 2000000] [--labs 25]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_quality_board.py

The network and its capabilities come from `portlab generate`; the test history is written here
with raw multi-row inserts (a year of tests, 85 % approved, the rest open), which is ~10× faster
than the ORM for two million rows. The board is timed twice: on the schema as migrated, then
with the two testing.Test indexes the board asks for, (lab, status, due_date) and
(lab, completed_at, created_at, due_date), created here for the measurement.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_bench import median_ms, setup_django  # noqa: E402

INDEXES = {
    "test_lab_status_due": "(lab_id, status, due_date)",
    "test_lab_completed": "(lab_id, completed_at, created_at, due_date)",
}


def _history(labs: list, tests: int, seed: int = 3) -> None:
    """A year of tests for the labs: `tests` rows, 100 per sample, inserted in raw batches."""
    import datetime
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from portlab.intake.models import Application, Sample
    from portlab.network.models import Capability
    from portlab.testing.models import Test

    rng, now = random.Random(seed), timezone.now()
    capabilities = {}
    for lab_id, pk, item, days in Capability.objects.filter(lab__in=labs).values_list(
            "lab_id", "id", "test_item_id", "turnaround_days"):
        capabilities.setdefault(lab_id, []).append((pk, item, days))
    application = Application.objects.filter(number__startswith="GB").first()
    samples = Sample.objects.bulk_create(
        Sample(number=f"BENCH{i:08d}", application=application, description="bench",
               status="approved") for i in range(tests // 100 + 1))
    columns = "sample_id, test_item_id, capability_id, lab_id, status, due_date, created_at, " \
              "completed_at, version"
    statuses = ["pending", "assigned", "resulted", "reviewed"]
    adapt = connection.ops.adapt_datetimefield_value
    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for index in range(tests):
            lab_id = labs[index % len(labs)].pk
            capability, item, days = rng.choice(capabilities[lab_id])
            created = now - datetime.timedelta(days=rng.uniform(0, 365))
            done = created + datetime.timedelta(days=max(0.1, days + rng.gauss(0, 1.8)))
            approved = done < now and rng.random() < 0.985
            batch.append((samples[index // 100].pk, item, capability, lab_id,
                          "approved" if approved else rng.choice(statuses),
                          (created + datetime.timedelta(days=days)).date(), adapt(created),
                          adapt(done) if approved else None, 1))
            if len(batch) == 5000 or index == tests - 1:
                marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
                cursor.execute(f"INSERT INTO {Test._meta.db_table} ({columns}) VALUES {marks}",
                               [value for row in batch for value in row])
                batch = []


CALENDAR_DAYS_SQL = {  # the board's turnaround before it counted working days: the baseline
    "sqlite": "CAST(julianday(completed_at) - julianday(created_at) AS INTEGER)",
    "postgresql": "FLOOR(EXTRACT(EPOCH FROM completed_at - created_at) / 86400)::int",
}


def _calendar_day_turnaround(scope, since) -> list:
    """The same grouped scan in calendar days (one row per lab and day count)."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    marks = ", ".join(["%s"] * len(scope.lab_ids))
    sql = (f"SELECT lab_id, {CALENDAR_DAYS_SQL[connection.vendor]} AS days, COUNT(*) "
           f"FROM testing_test WHERE lab_id IN ({marks}) AND completed_at >= %s "
           f"GROUP BY lab_id, days")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope.lab_ids, connection.ops.adapt_datetimefield_value(start)])
        return cursor.fetchall()


def _timed_board(scope, runs: int) -> dict[str, float]:
    from django.utils import timezone

    from portlab.boards import quality_board as board
    from portlab.quality import selectors

    today = timezone.localdate()
    since = today - timezone.timedelta(days=board.WINDOW_DAYS)
    parts = {
        "turnaround in working days + on-time": lambda: board.turnaround(scope, since),
        "open work + overdue": lambda: board.open_work(scope, today),
        "QC rejection rate": lambda: board.qc_summary(scope, since),
        "PT latest scores": lambda: board.pt_latest(scope),
        "authorizations due": lambda: list(selectors.authorizations_expiring(scope.lab_ids)),
        "nonconformities/complaints/actions": lambda: board.improvement(scope, today),
        "alerts": lambda: list(selectors.alerts_open(scope.lab_ids)[:8]),
    }
    timings = {name: median_ms(action, runs, warmup=1) for name, action in parts.items()}
    calendar_days = median_ms(lambda: _calendar_day_turnaround(scope, since), runs, warmup=1)
    print(f"  (baseline, not in the total: the same turnaround scan in calendar days, "
          f"{calendar_days:.1f} ms)")
    return timings


def _print(title: str, timings: dict[str, float], baseline: float) -> float:
    total = sum(timings.values())
    print(f"\n{title}")
    for name, ms in timings.items():
        print(f"  {name:<38} {ms:9.1f} ms")
    print(f"  {'total':<38} {total:9.1f} ms  (target 1000 ms)  ratio to COUNT(*) "
          f"{total / baseline:.2f}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, default=2_000_000)
    parser.add_argument("--labs", type=int, default=25)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    vendor = setup_django("quality-board")
    from django.db import connection

    from portlab.boards.quality_board import Scope
    from portlab.demo.generate import generate
    from portlab.network.models import District, Lab

    started = time.perf_counter()
    generate(labs=options.labs, capabilities=400, tests=100, districts=1, prefix="B")
    district = District.objects.get(code__startswith="B")
    labs = {lab.pk: lab for lab in Lab.objects.filter(district=district)}
    _history(list(labs.values()), options.tests)
    print(f"{vendor}: generated {options.tests:,} tests in one district of {options.labs} labs "
          f"in {time.perf_counter() - started:.0f} s")
    scope = Scope("district", district.name, list(labs), labs)

    def count_all() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM testing_test")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:  # what autovacuum does after a bulk load
        cursor.execute("ANALYZE" if vendor == "sqlite" else "VACUUM ANALYZE testing_test")
    baseline = median_ms(count_all, options.runs, warmup=1)
    print(f"baseline COUNT(*) over {count_all():,} tests: {baseline:.1f} ms")
    _print("board, schema as migrated", _timed_board(scope, options.runs), baseline)
    with connection.cursor() as cursor:
        for name, columns in INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON testing_test {columns}")
        cursor.execute("ANALYZE" if vendor == "sqlite" else "VACUUM ANALYZE testing_test")
    _print("board, with the recommended testing.Test indexes", _timed_board(scope, options.runs),
           baseline)


if __name__ == "__main__":
    main()
