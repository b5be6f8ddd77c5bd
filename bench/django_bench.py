"""Shared set-up for benchmarks that need Django: a fresh database and timing helpers."""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(name: str) -> str:
    """Point Django at a fresh SQLite file (or at DATABASE_URL when given) and migrate it."""
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.gettempdir()) / f"portlab-bench-{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def median_ms(action: Callable[[], object], runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def paired_medians(first: Callable[[], object], second: Callable[[], object],
                   runs: int, clock: Callable[[], float] = time.perf_counter,
                   ) -> tuple[float, float]:
    """Median seconds of each function, timed alternately so that both see the same machine
    (on a shared 2-core VM the speed of the same loop varies by a third from minute to minute).
    `clock=time.thread_time` counts this thread's CPU time only: on a loaded machine a longer
    operation is preempted more often, which stretches its wall-clock time far more than a
    short baseline's."""
    first()
    second()  # warm-up: fonts, templates, imports
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for function, times in ((first, timings[0]), (second, timings[1])):
            start = clock()
            function()
            times.append(clock() - start)
    return statistics.median(timings[0]), statistics.median(timings[1])


def report(title: str, ours_ms: float, baseline_ms: float, baseline: str, target: str) -> None:
    print(f"{title}: {ours_ms:.2f} ms median (target {target}); baseline {baseline}: "
          f"{baseline_ms:.2f} ms; ratio {ours_ms / baseline_ms:.2f}")
