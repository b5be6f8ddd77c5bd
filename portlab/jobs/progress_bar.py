"""Progress bars for the command line (rich): follow a job run until it ends, or count a loop."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from portlab.jobs.models import JobRun


def _bar(console: Console | None = None) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=console,
                    transient=False)


@contextmanager
def counting(description: str, total: int | None,
             console: Console | None = None) -> Iterator[Callable[[int], None]]:
    """`with counting("tests", 1000) as advance: advance(done)` draws a bar to stderr."""
    with _bar(console or Console(stderr=True)) as bar:
        task = bar.add_task(description, total=total)

        def advance(done: int) -> None:  # a loop may do a little more than it planned
            bar.update(task, completed=done, total=max(done, total or 0) or None)

        yield advance


def follow(run_id, description: str, poll: float = 0.3,
           console: Console | None = None) -> JobRun:
    """Draw the run's progress until it ends (the worker, or a thread here, does the work)."""
    with _bar(console or Console(stderr=True)) as bar:
        task = bar.add_task(description, total=None)
        while True:
            run = JobRun.objects.get(pk=run_id)
            bar.update(task, completed=run.done, total=run.total,
                       description=f"{description} {run.message}"[:80])
            if run.state in JobRun.FINISHED:
                return run
            time.sleep(poll)


def run_here(run_id) -> threading.Thread:
    """Run a recorded job in a thread of this process (no worker needed), as a worker would."""
    from django.db import connection

    from portlab.jobs.services import job_run

    def work() -> None:
        try:
            job_run(str(run_id))
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread
