"""The route matrix figure (routes × roles × tenants checked, leaks found: must be 0) and what
the route gate costs a request, beside a public request that skips the gate, in the same run.

Run: .venv/bin/python bench/bench_route_matrix.py. The matrix itself is the test
portlab/accounts/tests/test_route_matrix.py (pytest -m matrix), run here in a subprocess.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from django_bench import median_ms, setup_django  # noqa: E402


def matrix_line() -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-p",
         "no:logging", "-m", "matrix", "portlab/accounts/tests/test_route_matrix.py"],
        cwd=HERE.parent, capture_output=True, text=True)
    found = re.search(r"^Route matrix: .*$", completed.stdout, re.MULTILINE)
    status = "passed" if completed.returncode == 0 else "FAILED"
    return f"{found.group(0) if found else 'Route matrix: no figure printed'} ({status})"


def gate_cost() -> None:
    from django.test import Client

    from portlab.accounts.models import User
    from portlab.accounts.routes import API, gate
    from portlab.demo.loader import load_demo
    from portlab.testing.models import Test

    load_demo()
    analyst = User.objects.get(username="analyst")
    test = Test.objects.filter(lab__code="TJ-TC").first()
    client = Client()
    client.force_login(analyst)
    url = f"/api/v1/tests/{test.pk}"
    request_ms = median_ms(lambda: client.get(url), runs=200)
    public_ms = median_ms(lambda: client.get("/api/v1/instruments/ping"), runs=200)
    route = API["GET /tests/{test_id}"]

    def gate_only():
        analyst.__dict__.pop("_portlab_roles", None)  # as in a new request: roles read again
        gate(analyst, route, {"test_id": test.pk})

    gate_ms = median_ms(gate_only, runs=500)
    print(f"Route gate (role check + tenant look-up) on GET {url}: {gate_ms:.2f} ms of a "
          f"{request_ms:.2f} ms request ({100 * gate_ms / request_ms:.0f} %); baseline public "
          f"GET /api/v1/instruments/ping (no gate): {public_ms:.2f} ms")


if __name__ == "__main__":
    print(matrix_line(), flush=True)
    os.environ.setdefault("PORTLAB_KEYS_DIR", tempfile.mkdtemp(prefix="portlab-bench-keys-"))
    # The demo's notification emails would fill the console.
    os.environ.setdefault("PORTLAB_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    setup_django("route_matrix")
    gate_cost()
