"""`portlab scheduler`: run the schedule in portlab/jobs/schedule.py (one active instance), and
the schedules people set (portlab/jobs/schedules.py), read again every minute."""

import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from portlab.jobs.schedule import (
    LEASE_TTL,
    RETRY_AFTER,
    SCHEDULE,
    SETTABLE,
    Entry,
    entry_run,
    holder_name,
    lease_take,
)
from portlab.jobs.schedules import entries_set_by_people

logger = logging.getLogger(__name__)


def follow(scheduler, add, current: dict[str, tuple]) -> None:
    """Add, change or drop the jobs people schedule, as their rows now say."""
    try:
        wanted = {entry.name: entry for entry in entries_set_by_people()}
    except Exception:  # a bad row must not stop the fixed schedule
        logger.exception("the schedules set on the page could not be read")
        return
    for name in SETTABLE:
        entry = wanted.get(name)
        signature = (entry.trigger, tuple(sorted(entry.when.items()))) if entry else ()
        if current.get(name, ()) == signature:
            continue
        if scheduler.get_job(name):
            scheduler.remove_job(name)
        if entry:
            add(entry)
        current[name] = signature


class Command(BaseCommand):
    help = "Run periodic jobs; a second instance stands by until the first stops."

    def handle(self, *args, **options) -> None:
        from apscheduler.schedulers.blocking import BlockingScheduler

        holder = holder_name()
        scheduler = BlockingScheduler(timezone=timezone.get_current_timezone())

        def guarded(entry: Entry, attempt: int = 1) -> None:
            if not lease_take(holder):
                return  # another instance is active
            record = entry_run(entry, attempt)
            if not record.ok and attempt == 1:
                scheduler.add_job(guarded, "date", args=[entry, 2],
                                  run_date=timezone.now() + RETRY_AFTER)

        def add(entry: Entry) -> None:
            scheduler.add_job(guarded, entry.trigger, args=[entry], id=entry.name,
                              max_instances=1, coalesce=True, replace_existing=True,
                              **entry.when)

        current: dict[str, tuple] = {}

        def follow_settable() -> None:
            follow(scheduler, add, current)

        for entry in SCHEDULE:
            add(entry)
        follow_settable()
        scheduler.add_job(follow_settable, "interval", seconds=60)
        scheduler.add_job(lambda: lease_take(holder), "interval",
                          seconds=LEASE_TTL.total_seconds() / 3)
        self.stdout.write(f"scheduler {holder}: {len(SCHEDULE)} jobs")
        scheduler.start()
