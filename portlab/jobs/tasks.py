"""The jobs app's own job: one that does nothing, to measure and check the queue itself."""

from portlab.jobs.registry import job


@job("ping")
def ping(run, progress) -> dict:
    """Answers at once: `bench/bench_job_latency.py` times enqueue to start with it."""
    return {}
