"""One declaration through POST /api/v1/declarations to a decision: median and p99 latency.

Run: python bench/bench_risk_api.py [--requests N]
In-process with Django's test Client against a temporary SQLite database holding the demo
network, risk profiles, two rules and a model trained on 1,500 labelled declarations. Each
request registers a declaration, scores it (LightGBM + SHAP reasons + rules), draws its lane
and, when sampled, files the lab application. Baseline in the same run: GET of one decision.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(directory: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "portlab.risk.tests.urls"  # the risk API, mounted or not yet
    settings.PORTLAB_MODELS_DIR = directory / "models"
    settings.ALLOWED_HOSTS = ["testserver"]


def timed(action: Callable[[], object], count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(name: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    print(f"{name:<38} median {median:7.2f} ms   p99 {p99:7.2f} ms   n={len(ordered)}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        setup_django(Path(temporary))
        run(arguments.requests)


def run(count: int) -> None:
    import json

    from django.core.management import call_command
    from django.test import Client

    from portlab.demo.risk import declaration_row, demo_network, load_risk_demo
    from portlab.risk.models import Declaration, Selection

    call_command("migrate", verbosity=0)
    demo_network()
    officer = load_risk_demo(history=1500, batches=0)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(officer)
    rng = random.Random(11)
    numbers = iter(range(900_000, 900_000 + 2 * count + 10))

    def submit() -> None:
        row = declaration_row(rng, next(numbers), Declaration.objects.first().declared_on)
        response = client.post("/api/v1/declarations", json.dumps(row),
                               content_type="application/json")
        assert response.status_code == 201, response.content

    timed(submit, 10)  # warm-up: model load, caches
    first = Declaration.objects.filter(selection__isnull=False).first().number
    ours = summary("POST declaration -> decision", timed(submit, count))
    baseline = summary("GET /api/v1/declarations/{number}", timed(
        lambda: client.get(f"/api/v1/declarations/{first}"), count))
    lanes = {lane: Selection.objects.filter(lane=lane).count() for lane in Selection.Lane.values}
    print(f"lanes over the run: {lanes}")
    print(f"ratio median POST/GET: {ours / baseline:.1f}")


if __name__ == "__main__":
    main()
