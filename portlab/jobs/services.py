"""Starting, running, cancelling and recovering background jobs."""

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from portlab.core.errors import ApplicationError, NotFound, PermissionDenied
from portlab.jobs.models import JobRun
from portlab.jobs.registry import HANDLERS

logger = logging.getLogger(__name__)
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


class JobCancelled(Exception):
    """Raised by Progress when the user asked the job to stop."""


@dataclass
class JobFailed(Exception):
    """A handler's refusal with the input's faults, e.g. [{"line": 3, "reason": "..."}]."""

    message: str
    errors: list[dict[str, Any]] = field(default_factory=list)


class Progress:
    """What a handler calls as it goes: stores done/total (at most twice a second), moves the
    heartbeat and stops the job when cancel was asked. Call it outside the handler's own
    transactions, or the page sees nothing until they commit; inside one, call
    `within_transaction`."""

    def __init__(self, run: JobRun, interval: float = 0.5):
        self.run, self.interval, self._last = run, interval, 0.0
        self._beside: Any = None  # a connection of its own, opened by within_transaction

    def __call__(self, done: int, total: int | None = None, message: str = "",
                 force: bool = False) -> None:
        fields = self._due(done, total, message, force)
        if fields:
            JobRun.objects.filter(pk=self.run.pk).update(**fields)
            self.stop_if_cancelled()

    def _due(self, done: int, total: int | None, message: str, force: bool) -> dict[str, Any]:
        """The fields to store now, or none when the last store is too recent."""
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return {}
        self._last = now
        fields: dict[str, Any] = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:300]
        return fields

    def stop_if_cancelled(self) -> None:
        """Raise JobCancelled when the user asked to stop. It only reads, so a handler may call
        it inside its own transaction (whose rollback then leaves nothing written) without
        holding the run's row against the cancel."""
        if JobRun.objects.filter(pk=self.run.pk, cancel_requested=True).exists():
            raise JobCancelled

    def within_transaction(self, done: int, total: int | None = None,
                           message: str = "") -> None:
        """Progress from inside the handler's own transaction. On PostgreSQL it is stored
        through a connection of its own, so the page sees it at once and the run's row is not
        held against the cancel. SQLite lets one connection write at a time, the handler's:
        there the page keeps what was stored before the transaction until it ends."""
        fields = self._due(done, total, message, force=False)
        if fields and connection.vendor == "postgresql":
            if self._beside is None:
                self._beside = connections.create_connection(DEFAULT_DB_ALIAS)
            quote = connection.ops.quote_name
            column = {f.name: f.column for f in JobRun._meta.concrete_fields}
            columns = ", ".join(f"{quote(column[name])} = %s" for name in fields)
            with self._beside.cursor() as cursor:
                cursor.execute(f"UPDATE {quote(JobRun._meta.db_table)} SET {columns} "
                               f"WHERE {quote(column['id'])} = %s",
                               [*fields.values(), self.run.pk])
        self.stop_if_cancelled()

    def close(self) -> None:
        if self._beside is not None:
            self._beside.close()
            self._beside = None


def job_start(*, kind: str, params: dict[str, Any], actor=None,
              max_attempts: int = 2) -> JobRun:
    """Record the run and queue its task once the caller's transaction commits. The job
    speaks the caller's language (its messages and errors are made in the worker)."""
    if kind not in HANDLERS:
        raise ApplicationError(_("Unknown job “%s”.") % kind, field="kind")
    run = JobRun.objects.create(kind=kind, params=params, max_attempts=max_attempts,
                                started_by=actor if getattr(actor, "pk", None) else None,
                                language=translation.get_language() or "")
    transaction.on_commit(lambda: _enqueue(run))
    return run


def _enqueue(run: JobRun) -> None:
    result = run_job.enqueue(str(run.pk))
    JobRun.objects.filter(pk=run.pk).update(task_result_id=str(result.id))


def _finish(run: JobRun, state: str, **fields: Any) -> None:
    JobRun.objects.filter(pk=run.pk).update(state=state, finished_at=timezone.now(), **fields)


def job_run(job_id: str) -> None:
    """The task's body: claim the run (once), call its handler, record how it ended. A handler
    that goes on past faulty items returns them under "errors", listed like a refusal's."""
    now = timezone.now()
    claimed = JobRun.objects.filter(pk=job_id, state=JobRun.State.QUEUED).update(
        state=JobRun.State.RUNNING, started_at=now, heartbeat_at=now, worker=WORKER_NAME,
        attempts=F("attempts") + 1)
    if not claimed:
        return  # done, cancelled or taken by another worker: running it again changes nothing
    run = JobRun.objects.get(pk=job_id)
    if run.cancel_requested:
        _finish(run, JobRun.State.CANCELLED)
        return
    with translation.override(run.language or None):
        _call_handler(run)


def _call_handler(run: JobRun) -> None:
    progress = Progress(run)
    try:
        outcome = HANDLERS[run.kind](run, progress)
    except JobCancelled:
        _finish(run, JobRun.State.CANCELLED, message=_("Cancelled by the user."))
    except JobFailed as failure:
        _finish(run, JobRun.State.FAILED, message=failure.message[:300], errors=failure.errors)
    except ApplicationError as error:
        _finish(run, JobRun.State.FAILED, message=error.message[:300])
    except Exception as error:  # recorded for the user, logged in full for the operator
        logger.exception("job %s (%s) failed", run.pk, run.kind)
        _finish(run, JobRun.State.FAILED, message=f"{type(error).__name__}: {error}"[:300])
    else:
        outcome = dict(outcome or {})
        _finish(run, JobRun.State.SUCCEEDED, errors=outcome.pop("errors", []), outcome=outcome,
                done=F("total") if run.total else F("done"))
    finally:
        progress.close()


@task()
def run_job(job_id: str) -> None:
    """The one queued task: run a recorded job by its id (idempotent, see job_run)."""
    job_run(job_id)


def job_cancel(*, run: JobRun, actor) -> None:
    if run.started_by_id != getattr(actor, "pk", None) and not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only who started a job may cancel it."))
    if run.state in JobRun.FINISHED:
        raise ApplicationError(_("The job has already ended."), field="state")
    JobRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    JobRun.objects.filter(pk=run.pk, state=JobRun.State.QUEUED).update(
        state=JobRun.State.CANCELLED, finished_at=timezone.now())


def jobs_recover(*, stale_after: timedelta = timedelta(minutes=2)) -> dict[str, int]:
    """Runs whose worker stopped beating: queued again while attempts remain, else failed
    with the reason. The handlers are idempotent, so a second attempt finishes the work."""
    cutoff = timezone.now() - stale_after
    counts = {"requeued": 0, "failed": 0}
    for run in JobRun.objects.filter(state=JobRun.State.RUNNING, heartbeat_at__lt=cutoff):
        if run.attempts < run.max_attempts:
            if JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING).update(
                    state=JobRun.State.QUEUED, message=_("The worker stopped; queued again.")):
                _enqueue(run)
                counts["requeued"] += 1
        else:
            _finish(run, JobRun.State.FAILED, message=_(
                "The worker stopped during the job (attempt %(n)d of %(m)d).")
                % {"n": run.attempts, "m": run.max_attempts})
            counts["failed"] += 1
    return counts


def job_get(*, job_id: str, actor) -> JobRun:
    try:
        run = JobRun.objects.filter(pk=uuid.UUID(str(job_id))).first()
    except ValueError:
        run = None
    if run is None or (run.started_by_id != getattr(actor, "pk", None)
                       and not getattr(actor, "is_staff", False)):
        raise NotFound(_("No such job."))
    return run
