"""The schedule (`portlab scheduler`): periodic jobs, run by one scheduler process at a time.

Each entry calls a management command by name, so this low layer imports no app. A run that
fails is recorded with its error and tried once more a minute later; it is never skipped
silently. One active instance: a lease row in the database, renewed every 10 s, taken over by
a standby instance 30 s after its holder stopped renewing.
"""

import io
import logging
import os
import socket
import traceback
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command, get_commands
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy

from portlab.jobs.models import ScheduledRun, SchedulerLease

logger = logging.getLogger(__name__)
LEASE_NAME, LEASE_TTL, RETRY_AFTER = "scheduler", timedelta(seconds=30), timedelta(minutes=1)


@dataclass(frozen=True)
class Entry:
    name: str
    command: str
    trigger: str  # APScheduler trigger: "interval" or "cron"
    when: dict
    what: "str | StrPromise"  # shown on the schedule page, in the reader's language
    every: "str | StrPromise"


SCHEDULE = (
    Entry("instruments_sweep", "instruments_sweep", "interval", {"seconds": 10},
          gettext_lazy("Instruments silent for 60 s are marked offline (so within 70 s of "
                       "the last heartbeat)"), gettext_lazy("every 10 s")),
    Entry("jobs_recover", "jobs_recover", "interval", {"seconds": 30},
          gettext_lazy("Jobs whose worker stopped beating for 2 minutes are queued again, or "
                       "failed"), gettext_lazy("every 30 s")),
    Entry("audit_checkpoint", "audit_checkpoint", "cron", {"minute": 0},
          gettext_lazy("A signed checkpoint of every audit chain"),
          gettext_lazy("hourly, on the hour")),
    Entry("alerts_daily", "alerts_daily", "cron", {"hour": 7, "minute": 0},
          gettext_lazy("Each lab's quality and lab managers get an e-mail of what falls due: "
                       "authorizations, calibrations, intermediate checks, overdue tests"),
          gettext_lazy("daily at 07:00")),
    Entry("board_rollup", "board_rollup", "interval", {"minutes": 10},
          gettext_lazy("The quality board's turnaround and open-work figures rebuilt from "
                       "the tests (the board reads them while under an hour old)"),
          gettext_lazy("every 10 minutes")),
    Entry("telemetry_partitions", "telemetry_partitions", "cron", {"minute": 5},
          gettext_lazy("The instruments' telemetry history: daily partitions made a week "
                       "ahead, those past the retention dropped"),
          gettext_lazy("hourly, at :05")),
    Entry("telemetry_rollup", "telemetry_rollup", "cron", {"minute": 2},
          gettext_lazy("The telemetry samples of the hours just ended rolled up per "
                       "instrument and hour"), gettext_lazy("hourly, at :02")),
    Entry("lateness_fit", "lateness_fit", "cron", {"hour": 2, "minute": 30},
          gettext_lazy("Each lab's lateness (working days its tests complete after the day "
                       "the queue simulation gave them at filing) learned from its completed "
                       "tests, and the network's; none below 200 tests; the interval's levels "
                       "calibrated on the last 50 completed applications or more; and the "
                       "working days a down instrument stays down, from 10 episodes or more"),
          gettext_lazy("daily at 02:30")),
)

# Scheduled jobs whose timing a person sets on a page (JobSchedule rows, read every minute).
SETTABLE = {
    "risk_retrain": Entry("risk_retrain", "risk_train", "cron", {},
                          gettext_lazy("The risk model is retrained on every labelled "
                                       "declaration, and the target rates adapted"),
                          gettext_lazy("as the risk officer sets it")),
}


def lease_take(holder: str, now=None) -> bool:
    """Take or renew the lease; False while another live instance holds it."""
    now = now or timezone.now()
    with transaction.atomic():
        if SchedulerLease.objects.filter(name=LEASE_NAME).filter(
                Q(holder=holder) | Q(expires_at__lt=now)).update(
                holder=holder, expires_at=now + LEASE_TTL):
            return True
        try:
            with transaction.atomic():
                SchedulerLease.objects.create(name=LEASE_NAME, holder=holder,
                                              expires_at=now + LEASE_TTL)
        except IntegrityError:
            return False
    return True


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def entry_run(entry: Entry, attempt: int = 1) -> ScheduledRun:
    """Run one entry now and record it; missing commands (an app not installed) fail loudly."""
    record = ScheduledRun.objects.create(job=entry.name, started_at=timezone.now(),
                                         attempt=attempt)
    output = io.StringIO()
    try:
        if entry.command not in get_commands():
            raise LookupError(f"no command {entry.command!r}")
        call_command(entry.command, stdout=output, stderr=output)
    except Exception:  # recorded and retried, never swallowed
        record.detail = (output.getvalue() + traceback.format_exc())[-4000:]
        logger.exception("scheduled job %s failed", entry.name)
    else:
        record.ok, record.detail = True, output.getvalue()[-4000:]
    record.finished_at = timezone.now()
    record.save(update_fields=["ok", "detail", "finished_at"])
    return record
