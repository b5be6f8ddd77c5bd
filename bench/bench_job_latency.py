"""Job enqueue-to-start latency: from `job_start` (the run recorded, its task queued on commit)
to the worker claiming it, for a job that does nothing (`ping`), with a real `portlab worker`
process. Database queue (django-tasks-db on the SQLite file, the worker polling every 0.5 s, the
default) and Redis (django-tasks-rq, an RQ worker blocked on the queue) in the same run.

Baseline, same run: the same job through django-tasks' ImmediateBackend, which runs it inside
`job_start` (no queue, no other process): the cost of the run record and the claim alone.
Redis: PORTLAB_TEST_REDIS_URL (database 5 by default); that part is skipped without a server.
"""

import os
import random
import statistics
import subprocess
import sys
import time

from django_bench import ROOT, setup_django

RUNS = 30
REDIS_URL = os.environ.get("PORTLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def latencies(runs: int = RUNS, wait: float = 30) -> list[float]:
    from django.db import transaction

    from portlab.jobs.models import JobRun
    from portlab.jobs.services import job_start

    found = []
    pause = random.Random(14)
    for _ in range(runs):
        # A job arrives at a random moment of the worker's cycle, never just as it finished one.
        time.sleep(pause.uniform(0.2, 1.0))
        with transaction.atomic():
            run = job_start(kind="ping", params={})
        deadline = time.monotonic() + wait
        while True:
            run = JobRun.objects.get(pk=run.pk)
            if run.started_at:
                break
            assert time.monotonic() < deadline, "no worker took the job"
            time.sleep(0.002)
        found.append((run.started_at - run.created_at).total_seconds() * 1000)
    return found


def with_worker(environment: dict[str, str]) -> list[float]:
    worker = subprocess.Popen([sys.executable, "-m", "portlab.cli", "worker"], cwd=ROOT,
                              env={**os.environ, **environment},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        latencies(2, wait=300)  # the worker has started (imports take a while) and run one
        return latencies()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def show(title: str, values: list[float], baseline: float) -> None:
    median = statistics.median(values)
    p95 = statistics.quantiles(values, n=20)[-1]
    print(f"{title}: {median:.1f} ms median, p95 {p95:.1f} ms over {len(values)} jobs; "
          f"baseline ImmediateBackend (no queue): {baseline:.2f} ms; ratio {median / baseline:.0f}")


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def main() -> None:
    vendor = setup_django("job-latency")
    from django.test import override_settings

    print(f"database: {vendor}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with override_settings(TASKS={"default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        baseline = statistics.median(latencies())
    show("database queue (django-tasks-db)", with_worker({}), baseline)
    if not redis_answers():
        print(f"Redis: skipped, no server at {REDIS_URL}")
        return
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
            RQ_QUEUES={"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}):
        show("Redis queue (django-tasks-rq, RQ worker)", with_worker({"REDIS_URL": REDIS_URL}),
             baseline)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
