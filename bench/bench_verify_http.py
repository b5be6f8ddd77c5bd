"""Public verification throughput over real HTTP vs a trivial endpoint on the same server.

Run: .venv/bin/python bench/bench_verify_http.py [requests] [clients]. Target: ratio >= 0.5.
Builds a temporary SQLite database with a few issued reports, starts `portlab runserver`
(threaded; no gunicorn/uvicorn in the venv) on a free loopback port, and drives it with
keep-alive clients (stdlib http.client, one connection per thread, bounded request count).
The rate limit is disabled for the run (PORTLAB_VERIFY_RATE_LIMIT=0).
"""

from __future__ import annotations

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
sys.path.insert(0, str(ROOT / "bench"))

REPORTS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def issue_reports(count: int) -> list[tuple[str, str]]:
    from bench_report_issue import build_network
    from django.db import connection

    from portlab.accounts.signatures import Credential
    from portlab.intake.models import Application, Sample, Status
    from portlab.reports.services import report_issue

    people, application = build_network(item_count=3)
    codes = []
    for _ in range(count):
        Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
        Sample.objects.filter(application=application).update(status=Status.APPROVED)
        application.refresh_from_db()
        report = report_issue(actor=people["signatory"], application=application,
                              credential=Credential(password="bench-password-1"))
        codes.append((report.number, report.verification_code))
    connection.close()
    return codes


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "portlab"), "runserver", f"127.0.0.1:{port}",
         "--noreload"],
        cwd=ROOT, env={**os.environ, "PORTLAB_DEMO": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start within 30 s")


def drive(port: int, requests: list[tuple[str, str, bytes | None]], clients: int) -> float:
    """Send every request once over `clients` keep-alive connections; return requests/s."""
    failures: list[str] = []
    shares = [requests[index::clients] for index in range(clients)]

    def client(share: list[tuple[str, str, bytes | None]]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        for method, path, body in share:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status != 200 or (body and b'"genuine"' not in payload):
                failures.append(f"{response.status} {payload[:120]!r}")
        connection.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, first: {failures[0]}")
    return len(requests) / elapsed


def main(total: int = 3000, clients: int = 8) -> None:
    with tempfile.TemporaryDirectory(prefix="portlab-bench-http-") as directory:
        from bench_report_issue import configure

        os.environ["PORTLAB_VERIFY_RATE_LIMIT"] = "0"
        configure(Path(directory))
        codes = issue_reports(REPORTS)
        port = free_port()
        server = start_server(port)
        try:
            lookups = [("POST", "/api/v1/verify", json.dumps(
                {"number": number, "code": code}).encode())
                for index in range(total) for number, code in [codes[index % len(codes)]]]
            health = [("GET", "/healthz", None)] * total
            drive(port, health[:200], clients)  # warm-up: imports, URL resolver, connections
            drive(port, lookups[:200], clients)
            baseline = drive(port, health, clients)
            verify = drive(port, lookups, clients)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{total} requests each, {clients} keep-alive clients, runserver (threaded), SQLite")
    print(f"baseline GET /healthz                    : {baseline:8.0f} req/s")
    print(f"POST /api/v1/verify (number + code)      : {verify:8.0f} req/s")
    verdict = "meets" if verify / baseline >= 0.5 else "BELOW"
    print(f"ratio verify / baseline                  : {verify / baseline:8.2f} "
          f"({verdict} target 0.5)")


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*arguments)
