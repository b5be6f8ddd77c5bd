"""CPU time of one agent heartbeat against the trivial ping, in one process, on PostgreSQL.

Run: python bench/bench_heartbeat_cpu.py [requests] [rounds]      (defaults: 2000, 3)

The HTTP bench (bench_heartbeat.py) shares 2 cores between client, server and PostgreSQL, and
on a loaded machine its rates swing from run to run. This one calls the WSGI application
(config/wsgi.py's, so the agents' short middleware stack included) directly, one request at a
time, ping and heartbeat alternately, and counts CPU time: Django's (this thread) and the
PostgreSQL backend's (its process, from /proc). Their sum is what a request costs the machine
apart from the HTTP server and the client. Makes a temporary database on BENCH_POSTGRES_URL.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def backend_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def environ(method: str, path: str, body: bytes = b"", **headers: str) -> dict:
    return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json", **headers}


def child(requests: int, rounds: int) -> None:
    import bench_heartbeat

    tokens = bench_heartbeat.prepare(400)
    from django.db import connection

    from config.wsgi import application

    def call(environ: dict) -> None:
        status: list[str] = []
        body = b"".join(application(environ, lambda line, headers, exc=None: status.append(line)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{status[0]}: {body[:200]!r}")

    def beats(count: int) -> list[dict]:
        jobs = bench_heartbeat.heartbeat_jobs(tokens, count, 1)[0]
        return [environ(method, path, body.encode(), HTTP_AUTHORIZATION=headers["Authorization"])
                for method, path, body, headers in jobs]

    def timed(environs: list[dict]) -> tuple[float, float]:
        connection.ensure_connection()
        backend = connection.connection.info.backend_pid
        django, postgres = time.thread_time(), backend_seconds(backend)
        for item in environs:
            call(item)
        if connection.connection.info.backend_pid != backend:
            raise SystemExit("the connection was replaced during a run; run again")
        return ((time.thread_time() - django) / len(environs) * 1e6,
                (backend_seconds(backend) - postgres) / len(environs) * 1e6)

    from django.core import signals
    from django.db import close_old_connections

    # One connection for the whole run (CONN_MAX_AGE would replace it after 60 s mid-run).
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    for item in beats(len(tokens)):  # every instrument online first
        call(item)
    ping, beat = [], []
    print(f"PostgreSQL, in one process, {requests} requests per run, {rounds} rounds; load "
          f"average {os.getloadavg()[0]:.1f} at start")
    for _round in range(rounds):
        ping.append(timed([environ("GET", "/api/v1/instruments/ping")] * requests))
        beat.append(timed(beats(requests)))
        print(f"  ping      Django {ping[-1][0]:5.0f} µs  PostgreSQL {ping[-1][1]:4.0f} µs | "
              f"heartbeat Django {beat[-1][0]:5.0f} µs  PostgreSQL {beat[-1][1]:4.0f} µs")
    ping_total = statistics.median(django + postgres for django, postgres in ping)
    beat_total = statistics.median(django + postgres for django, postgres in beat)
    print(f"  median CPU per request: ping {ping_total:.0f} µs, heartbeat {beat_total:.0f} µs; "
          f"ratio ping/heartbeat {ping_total / beat_total:.2f}; load average "
          f"{os.getloadavg()[0]:.1f} at the end")


def main(requests: int = 2000, rounds: int = 3) -> None:
    import bench_heartbeat

    database = bench_heartbeat.postgres_database()
    if database is None:
        return
    url, drop = database
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
            f"import bench_heartbeat_cpu; bench_heartbeat_cpu.child({requests}, {rounds})")
    try:
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                       env={**os.environ, "DATABASE_URL": url, "PORTLAB_DEMO": "1",
                            "DJANGO_SETTINGS_MODULE": "config.settings"})
    finally:
        drop()


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:3]))
