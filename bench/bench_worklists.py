"""Worklist page times, p50 and p95, through Django's test client (URL routing, access gate,
queries, template): assignment, my tests, review, approval and the report desk, on the demo
data and on a district from `portlab generate` whose first lab holds ≥ 10,000 open tests
(target: p95 < 300 ms). Baseline in the same run: /healthz through the same client. Beside the
wall-clock figures, the process CPU time per page (p50): on a machine loaded by other jobs the
wall clock mostly measures the wait for a core, the CPU time what the page itself costs.

    .venv/bin/python bench/bench_worklists.py [--open-tests 12000] [--runs 40]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_worklists.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_bench import setup_django  # noqa: E402

PAGES = [("assignment", "manager", "/testing/assignment/"),
         ("my tests", "analyst", "/testing/mine/"),
         ("review", "reviewer", "/testing/review/"),
         ("approval", "signatory", "/testing/approval/"),
         ("review, one test item, overdue", "reviewer", "/testing/review/?overdue=1&item={item}"),
         ("approval, page 20", "signatory", "/testing/approval/?page=20"),
         ("report desk (to issue)", "signatory", "/reports/")]


def percentiles(action, runs: int, warmup: int = 3) -> tuple[float, float, float]:
    """Wall-clock p50 and p95 and CPU-time p50 of `action`, in milliseconds."""
    for _ in range(warmup):
        action()
    timings, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (statistics.median(timings), statistics.quantiles(timings, n=20)[18],
            statistics.median(cpu))


def _open_tests(lab, analyst, count: int) -> int:
    """`count` open tests in `lab`, a quarter in each open status, one sample per four."""
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from portlab.intake.models import Application, Sample
    from portlab.network.models import Capability
    from portlab.testing.models import Test

    rng, now = random.Random(7), timezone.now()
    capabilities = list(Capability.objects.filter(lab=lab).values_list("id", "test_item_id"))
    application = Application.objects.filter(lab=lab).first()
    with transaction.atomic():
        samples = Sample.objects.bulk_create(
            Sample(number=f"WL{i:07d}", application=application, description="bench",
                   status="in_testing") for i in range(count // 4 + 1))
        statuses = ["pending", "assigned", "resulted", "reviewed"]
        Test.objects.bulk_create(
            (Test(sample=samples[i // 4], capability_id=capability, test_item_id=item, lab=lab,
                  status=statuses[i % 4], analyst=analyst if i % 4 else None,
                  created_at=now - dt.timedelta(days=rng.uniform(0, 20)),
                  due_date=(now + dt.timedelta(days=rng.randint(-5, 10))).date())
             for i, (capability, item) in ((i, rng.choice(capabilities))
                                           for i in range(count))), batch_size=2000)
    return Test.objects.filter(lab=lab, status__in=statuses).count()


def _time_pages(title: str, users: dict, item_id: int, runs: int) -> None:
    from django.test import Client

    clients = {}
    for name, user in users.items():
        clients[name] = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        clients[name].force_login(user)
    assert clients["manager"].get("/healthz").status_code == 200
    base = percentiles(lambda: clients["manager"].get("/healthz"), runs)
    print(f"\n{title}\n  baseline /healthz: p50 {base[0]:.1f} ms, p95 {base[1]:.1f} ms, "
          f"CPU p50 {base[2]:.1f} ms; load average {os.getloadavg()[0]:.1f}")
    for name, username, url in PAGES:
        path = url.format(item=item_id)
        response = clients[username].get(path)
        assert response.status_code == 200, (path, response.status_code)
        p50, p95, cpu = percentiles(lambda c=clients[username], p=path: c.get(p), runs)
        print(f"  {name:<34} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  CPU p50 {cpu:6.1f} ms  "
              f"(target p95 < 300 ms)  p50 ratio to baseline {p50 / base[0]:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open-tests", type=int, default=12_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--no-demo", action="store_true", help="only the generated district")
    options = parser.parse_args()
    vendor = setup_django("worklists")
    from django.conf import settings
    from django.db import connection

    from portlab.accounts.models import Role
    from portlab.accounts.services import user_create
    from portlab.demo.generate import generate
    from portlab.demo.loader import load_demo
    from portlab.network.models import District, Lab
    from portlab.testing.models import Test

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False  # plain HTTP through the test client
    if not options.no_demo:
        demo = load_demo()
        item = Test.objects.filter(lab__code="TJ-TC").values_list("test_item_id",
                                                                  flat=True).first()
        _time_pages(f"{vendor}: demo data ({Test.objects.count()} tests)",
                    {n: demo[n] for n in ("manager", "analyst", "reviewer", "signatory")},
                    item or 0, options.runs)
    started = time.perf_counter()
    generate(labs=25, capabilities=400, tests=2000, districts=1, prefix="W")
    lab = Lab.objects.filter(district=District.objects.get(code__startswith="W")).first()
    roles = {"manager": Role.LAB_MANAGER, "analyst": Role.ANALYST,
             "reviewer": Role.REVIEWER, "signatory": Role.SIGNATORY}
    users = {name: user_create(username=f"w-{name}", password=None, display_name=name,
                               roles=[(role, lab)]) for name, role in roles.items()}
    open_count = _open_tests(lab, users["analyst"], options.open_tests)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if vendor == "sqlite" else "VACUUM ANALYZE testing_test")
    item = Test.objects.filter(lab=lab).values_list("test_item_id", flat=True).first()
    print(f"\ngenerated district: {open_count:,} open tests in lab {lab.code} "
          f"({time.perf_counter() - started:.0f} s)")
    _time_pages(f"{vendor}: generated district, lab {lab.code}", users, item, options.runs)


if __name__ == "__main__":
    main()
