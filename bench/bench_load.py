"""Load test: a mixed workload against gunicorn + the job worker + PostgreSQL on this machine.

Run: python bench/bench_load.py [users] [seconds]      (defaults: 40 users, 60 s)

Makes a new database on the PostgreSQL server of BENCH_POSTGRES_URL (default the local
`portlab` role), loads the demo network into it (`portlab migrate`, `keys-init`, `demo`), then
seeds what the workload needs: API tokens for an enterprise, the analysts and the reviewer, a
pool of tests assigned to each analyst, the demo's issued reports and 60 instruments with
their agent tokens. It starts gunicorn as `make serve` does (one worker process per core, 4 threads
each) and `portlab worker` on 127.0.0.1, runs locust headless (bench/locustfile.py) for the
given time at a fixed number of users, and prints p50/p95 per endpoint and the error count,
which must be 0. Two of the users only ask the trivial ping (no authentication, no database):
the baseline timed in the same run, beside which each endpoint's p50/p95 is given as a ratio.
Everything runs on 127.0.0.1 and stops when the run ends; the database is dropped. The
public verification rate limit (30 a minute per address) is switched off for the run, since
every simulated member of the public comes from 127.0.0.1.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))
TESTS_PER_ANALYST = 60
INSTRUMENTS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assigned_pool(template, people: dict, analyst: str, count: int) -> list[list[int]]:
    """`count` new tests assigned to `analyst`, filed, received and assigned as in the lab."""
    from portlab.intake.services import SampleInput, application_register
    from portlab.testing.models import Test
    from portlab.testing.reception import sample_receive
    from portlab.testing.services import test_assign

    pool = []
    items = list(template.items.values_list("test_item_id", flat=True))
    for _n in range(count):
        application = application_register(
            actor=people["enterprise1"], enterprise=template.enterprise, lab=template.lab,
            goods_description=template.goods_description, hs_code=template.hs_code,
            purpose=template.purpose, test_item_ids=items[:1],
            samples=[SampleInput(description="load test sample")],
            product_category=template.product_category)
        sample_receive(actor=people["clerk"], sample=application.samples.get())
        test = Test.objects.get(sample__application=application)
        test = test_assign(actor=people["manager"], test=test, analyst=people[analyst])
        pool.append([test.pk, test.version])
    return pool


def seed(path: str) -> None:
    """Write the fixture the locustfile reads (run in a child with the bench's database)."""
    import django

    django.setup()
    from portlab.accounts.models import User
    from portlab.accounts.services import api_token_create
    from portlab.demo.password import PASSWORD
    from portlab.instruments.models import Instrument, Telemetry
    from portlab.instruments.services import instrument_token_create
    from portlab.intake.models import Application
    from portlab.reports.models import Report

    people = {u.username: u for u in User.objects.filter(
        username__in=["enterprise1", "analyst", "analyst2", "reviewer", "clerk", "manager"])}
    mine = Application.objects.filter(submitted_by=people["enterprise1"], lab__code="TJ-TC")
    template = mine.exclude(product_category=None).order_by("id").first()
    token = api_token_create(user=people["enterprise1"], name="load test")
    fixture = {
        "enterprise": {"token": token, "credit_code": template.enterprise.credit_code,
                       "lab": template.lab.code, "product_category": template.product_category.code,
                       "test_item": template.items.first().test_item.code,
                       "applications": list(mine.values_list("number", flat=True)[:50])},
        "analysts": [{"token": api_token_create(user=people[name], name="load test"),
                      "tests": _assigned_pool(template, people, name, TESTS_PER_ANALYST)}
                     for name in ("analyst", "analyst2")],
        "reviewer": {"token": api_token_create(user=people["reviewer"], name="load test"),
                     "password": PASSWORD},
        "reports": [{"number": number, "code": code} for number, code in Report.objects.filter(
            status=Report.Status.ISSUED).values_list("number", "verification_code")[:50]],
        "instruments": [],
    }
    Instrument.objects.bulk_create(  # one per agent user at least, so none shares a sequence
        Instrument(asset_number=f"LOAD-{n:03d}", name="ICP-MS", instrument_type="ICP-MS",
                   lab=template.lab) for n in range(INSTRUMENTS))
    for instrument in Instrument.objects.filter(asset_number__startswith="LOAD-"):
        Telemetry.objects.get_or_create(instrument=instrument)
        fixture["instruments"].append(instrument_token_create(actor=None, instrument=instrument))
    Path(path).write_text(json.dumps(fixture), encoding="utf-8")
    print(f"seeded: {len(fixture['enterprise']['applications'])} applications to track, "
          f"{TESTS_PER_ANALYST} assigned tests per analyst, {len(fixture['reports'])} reports, "
          f"{len(fixture['instruments'])} instruments")


def _run(command: list[str], env: dict, log: Path) -> None:
    with log.open("a") as out:
        subprocess.run(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                       check=True)


def _wait_for(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/instruments/ping",
                                        timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def _table(stats_csv: Path) -> int:
    """Print p50/p95 per endpoint from locust's CSV, each beside the same-run baseline (the
    trivial ping, see locustfile.Baseline); return the number of failed requests."""
    rows = list(csv.DictReader(stats_csv.open()))
    baseline = next(row for row in rows if row["Name"].endswith("(baseline)"))
    base50, base95 = float(baseline["50%"]), float(baseline["95%"])
    print(f"{'endpoint':<44} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'req/s':>6} {'p50/base':>8} {'p95/base':>8}")
    for row in rows:
        name = "all endpoints" if row["Name"] == "Aggregated" else row["Name"]
        print(f"{name:<44} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{row['50%']:>7} {row['95%']:>7} {float(row['Requests/s']):>6.1f} "
              f"{float(row['50%']) / base50:>8.1f} {float(row['95%']) / base95:>8.1f}")
    return int(next(row for row in rows if row["Name"] == "Aggregated")["Failure Count"])


def _processes(env: dict, port: int, log: Path) -> list[subprocess.Popen]:
    out = log.open("a")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(os.cpu_count() or 2), "--worker-class", "gthread", "--threads", "4",
         "--keep-alive", "30"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([str(BIN / "portlab"), "worker"], env=env, cwd=ROOT, stdout=out,
                              stderr=subprocess.STDOUT)
    return [server, worker]


def _database() -> tuple[str, object]:
    import psycopg

    admin = os.environ.get("BENCH_POSTGRES_URL",
                           "postgres://portlab:portlab@127.0.0.1:5432/portlab")
    name = f"portlab_load_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.rsplit("/", 1)[0] + f"/{name}", drop


def load(workdir: Path, env: dict, users: int, seconds: int) -> int:
    log = workdir / "server.log"
    for step in (["migrate", "--no-input", "-v", "0"], ["keys-init"], ["demo"]):
        _run([str(BIN / "portlab"), *step], env, log)
    code = f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import bench_load; " \
           f"bench_load.seed({str(workdir / 'fixture.json')!r})"
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    port = free_port()
    running = _processes(env, port, log)
    try:
        _wait_for(port)
        before = os.getloadavg()
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                        "--headless", "--users", str(users), "--spawn-rate", str(users / 5),
                        "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
                        "--csv", str(workdir / "load"), "--only-summary", "--loglevel",
                        "WARNING"], env={**env, "LOAD_FIXTURE": str(workdir / "fixture.json")},
                       cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        after = os.getloadavg()
    finally:
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    print(f"\nPostgreSQL, gunicorn {os.cpu_count()} workers x 4 threads + 1 job worker, "
          f"{users} users for {seconds} s, locust on the same {os.cpu_count()}-core machine; "
          f"load average {before[0]:.1f} before, {after[0]:.1f} at the end")
    return _table(workdir / "load_stats.csv")


def main(users: int = 40, seconds: int = 60) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="portlab-load-"))
    url, drop = _database()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "PORTLAB_DEMO": "1", "PORTLAB_SECRET_KEY": secrets.token_urlsafe(50),
           "PORTLAB_KEYS_DIR": str(workdir / "keys"), "PORTLAB_VERIFY_RATE_LIMIT": "0"}
    try:
        errors = load(workdir, env, users, seconds)
    finally:
        drop()  # type: ignore[operator]
    print(f"errors: {errors} ({'met' if errors == 0 else 'NOT met'}: the goal is 0)")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:3]))
