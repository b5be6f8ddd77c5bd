"""Agent heartbeats per second on a real server vs a trivial endpoint on the same server.

Run: python bench/bench_heartbeat.py [requests] [threads] [instruments]

Starts the production server (gunicorn, one worker process per core, 4 threads each, as
`make serve` does) on a free port of 127.0.0.1, against a temporary SQLite database and then
against a temporary PostgreSQL database (when the server at BENCH_POSTGRES_URL, default the
local `portlab` role, answers). Every instrument sends one heartbeat first, so the timed run
is the steady state (instruments already online). Then N client threads post heartbeats over
keep-alive connections, and GET /api/v1/instruments/ping (no auth, no database) is timed the
same way, alternately, in BENCH_ROUNDS rounds (3), so that a swing of the machine's load
falls on both; the ratio is given per round and as the median. BENCH_DATABASES=postgresql
measures that database only. Client and server share the machine's 2 cores. The national
network needs ~2,700 heartbeats/s (161,000 instruments, one heartbeat a minute).
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NATIONAL_RATE = 161_000 / 60
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(instruments: int) -> list[str]:
    """Migrate the temporary database and register instruments; return their agent tokens."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from portlab.instruments.models import Instrument, Telemetry
    from portlab.instruments.services import instrument_token_create
    from portlab.network.models import District, Lab

    district = District.objects.create(code="0200", name_zh="天津海关", city="天津")
    lab = Lab.objects.create(code="TJ", district=district, name_zh="技术中心", city="天津")
    rows = Instrument.objects.bulk_create(
        Instrument(asset_number=f"B-{n:05d}", name="ICP-MS", instrument_type="ICP-MS", lab=lab)
        for n in range(instruments))
    Telemetry.objects.bulk_create(Telemetry(instrument=row) for row in rows)
    return [instrument_token_create(actor=None, instrument=row) for row in rows]


def wait_for(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/instruments/ping")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def run(port: int, threads: int, jobs: list[list[tuple]]) -> tuple[float, int]:
    """Each thread sends its own list of (method, path, body, headers) on one connection."""
    failures = [0]
    lock = threading.Lock()

    def worker(requests: list[tuple]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for method, path, body, headers in requests:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                with lock:
                    failures[0] += 1
        connection.close()

    pool = [threading.Thread(target=worker, args=(jobs[n],)) for n in range(threads)]
    start = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - start, failures[0]


SEQUENCE = itertools.count(time.time_ns() // 1000)


def heartbeat_jobs(tokens: list[str], requests: int, threads: int) -> list[list[tuple]]:
    """Instruments are split between threads, so each instrument's sequence stays in order."""
    jobs: list[list[tuple]] = [[] for _ in range(threads)]
    for n in range(requests):
        index = n % len(tokens)
        body = json.dumps({"sequence": next(SEQUENCE),
                           "state": "running" if index % 3 else "idle",
                           "sent_at": dt.datetime.now(dt.UTC).isoformat(),
                           "counters": {"injections": n}})
        headers = {"Authorization": f"Bearer {tokens[index]}",
                   "Content-Type": "application/json"}
        jobs[index % threads].append(("POST", "/api/v1/instruments/agent/heartbeat", body,
                                      headers))
    return jobs


def relay_jobs(tokens: list[str], rounds: int, threads: int) -> list[list[tuple]]:
    """A gateway per thread, relaying one heartbeat of each of its instruments per request."""
    jobs: list[list[tuple]] = [[] for _ in range(threads)]
    for thread in range(threads):
        mine = tokens[thread::threads]
        for _round in range(rounds):
            now = dt.datetime.now(dt.UTC).isoformat()
            body = json.dumps({"heartbeats": [
                {"token": token, "sequence": next(SEQUENCE), "state": "running",
                 "sent_at": now} for token in mine]})
            jobs[thread].append(("POST", "/api/v1/instruments/agent/heartbeats", body,
                                 {"Content-Type": "application/json"}))
    return jobs


def serve(port: int) -> subprocess.Popen:
    workers = str(os.cpu_count() or 2)
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", workers, "--worker-class", "gthread",
         "--threads", "4", "--keep-alive", "30"],
        env={**os.environ, "PORTLAB_DEMO": "1"}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(database_url: str, requests: int, threads: int, instruments: int) -> None:
    """Run the comparison against one database in a child process (Django is set up once per
    process, so each database gets its own)."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import bench_heartbeat; "
            f"bench_heartbeat.child({requests}, {threads}, {instruments})")
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={**os.environ, "DATABASE_URL": database_url,
                        "DJANGO_SETTINGS_MODULE": "config.settings"})


def child(requests: int, threads: int, instruments: int) -> None:
    tokens = prepare(instruments)
    port = free_port()
    server = serve(port)
    ping_rates, beat_rates, failed = [], [], 0
    try:
        wait_for(port)
        run(port, threads, heartbeat_jobs(tokens, len(tokens), threads))  # all online
        ping = [[("GET", "/api/v1/instruments/ping", None, {})] * (requests // threads)
                for _ in range(threads)]
        load = os.getloadavg()[0]
        for _round in range(ROUNDS):  # alternated, so a swing of the machine's load hits both
            ping_seconds, ping_failed = run(port, threads, ping)
            beat_seconds, beat_failed = run(port, threads,
                                            heartbeat_jobs(tokens, requests, threads))
            ping_rates.append((requests // threads) * threads / ping_seconds)
            beat_rates.append(requests / beat_seconds)
            failed += ping_failed + beat_failed
        rounds = max(1, requests * 4 // len(tokens))
        relay_seconds, relay_failed = run(port, threads, relay_jobs(tokens, rounds, threads))
    finally:
        server.terminate()
        try:  # gunicorn waits for keep-alive connections; do not wait long for it
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    vendor = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite WAL"
    print(f"{vendor}: gunicorn {os.cpu_count()} workers x 4 threads, {threads} client threads, "
          f"keep-alive, {instruments} instruments, {requests} requests per run, {ROUNDS} "
          f"rounds alternated; load average {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    ratios = [beat / ping for beat, ping in zip(beat_rates, ping_rates, strict=True)]
    print(f"  ping       {_rates(ping_rates)} req/s")
    print(f"  heartbeat  {_rates(beat_rates)} req/s  ({failed} failed, ping included)")
    print(f"  ratio heartbeat/ping per round: {' '.join(f'{r:.2f}' for r in ratios)}; "
          f"median {statistics.median(ratios):.2f}")
    per_request = len(tokens) // threads
    ping_rate = statistics.median(ping_rates)
    relay_rate = rounds * len(tokens) / relay_seconds
    print(f"  relayed    {relay_rate:8.0f} heartbeats/s ({per_request} per request, "
          f"{relay_rate / per_request:.0f} req/s, {relay_failed} failed)")
    print(f"  ratio relayed heartbeats/ping requests: {relay_rate / ping_rate:.2f}")
    best = max(statistics.median(beat_rates), relay_rate)
    print(f"  national load ~{NATIONAL_RATE:.0f}/s: "
          f"{'met' if best >= NATIONAL_RATE else 'not met'} by this one 2-core machine")


def _rates(rates: list[float]) -> str:
    return " ".join(f"{rate:6.0f}" for rate in rates) + f"  (median {statistics.median(rates):.0f})"


def postgres_database() -> tuple[str, Callable[[], None]] | None:
    """A new empty database on the PostgreSQL server of BENCH_POSTGRES_URL, and its dropper."""
    import psycopg

    admin = os.environ.get("BENCH_POSTGRES_URL", "postgres://portlab:portlab@127.0.0.1:5432/portlab")
    name = f"portlab_bench_{os.getpid()}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        print(f"PostgreSQL: skipped ({str(error).strip().splitlines()[0]})")
        return None

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.rsplit("/", 1)[0] + f"/{name}", drop


def main(requests: int = 6000, threads: int = 8, instruments: int = 400) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="portlab-bench-"))
    if "sqlite" in DATABASES:
        measure(f"sqlite:///{workdir / 'bench.sqlite3'}", requests, threads, instruments)
    if "postgresql" not in DATABASES:
        return
    postgres = postgres_database()
    if postgres is not None:
        url, drop = postgres
        try:
            measure(url, requests, threads, instruments)
        finally:
            drop()


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:4]))
