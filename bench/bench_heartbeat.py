"""Agent heartbeats per second on a real server vs a trivial endpoint on the same server.

Run: python bench/bench_heartbeat.py [requests] [threads] [instruments]

Starts `portlab runserver --noreload` (Django's development server: .venv has no production
server such as gunicorn or uvicorn, so absolute rates here understate production) on a free
port of 127.0.0.1 against a temporary SQLite database, then posts heartbeats for many
instruments from N threads over keep-alive connections, and times GET /api/v1/instruments/ping
(no auth, no database) the same way. The national network needs ~2,700 heartbeats/s
(161,000 instruments, one heartbeat a minute).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NATIONAL_RATE = 161_000 / 60


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


def wait_for(port: int, timeout: float = 30) -> None:
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


def heartbeat_jobs(tokens: list[str], requests: int, threads: int) -> list[list[tuple]]:
    """Instruments are split between threads, so each instrument's sequence stays in order."""
    jobs: list[list[tuple]] = [[] for _ in range(threads)]
    sequence = time.time_ns() // 1000
    for n in range(requests):
        index = n % len(tokens)
        sequence += 1
        body = json.dumps({"sequence": sequence, "state": "running" if index % 3 else "idle",
                           "sent_at": dt.datetime.now(dt.UTC).isoformat(),
                           "counters": {"injections": n}})
        headers = {"Authorization": f"Bearer {tokens[index]}",
                   "Content-Type": "application/json"}
        jobs[index % threads].append(("POST", "/api/v1/instruments/agent/heartbeat", body,
                                      headers))
    return jobs


def main(requests: int = 5000, threads: int = 8, instruments: int = 400) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="portlab-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    tokens = prepare(instruments)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "portlab"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        ping = [[("GET", "/api/v1/instruments/ping", None, {})] * (requests // threads)
                for _ in range(threads)]
        ping_seconds, ping_failed = run(port, threads, ping)
        beat_seconds, beat_failed = run(port, threads, heartbeat_jobs(tokens, requests, threads))
    finally:
        server.terminate()
        server.wait(10)
    ping_rate = (requests // threads) * threads / ping_seconds
    beat_rate = requests / beat_seconds
    print(f"server: Django runserver (threaded, development server), SQLite WAL, "
          f"{threads} client threads, keep-alive, {instruments} instruments")
    print(f"ping       {ping_rate:8.0f} req/s  ({ping_failed} failed)")
    print(f"heartbeat  {beat_rate:8.0f} req/s  ({beat_failed} failed)")
    print(f"ratio heartbeat/ping: {beat_rate / ping_rate:.2f}")
    print(f"national requirement ~{NATIONAL_RATE:.0f}/s: "
          f"{'met' if beat_rate >= NATIONAL_RATE else 'not met'} by this one process")


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:4]))
