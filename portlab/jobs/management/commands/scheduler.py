"""`portlab scheduler`: run the schedule in portlab/jobs/schedule.py (one active instance)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portlab.jobs.schedule import (
    LEASE_TTL,
    RETRY_AFTER,
    SCHEDULE,
    Entry,
    entry_run,
    holder_name,
    lease_take,
)


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

        for entry in SCHEDULE:
            scheduler.add_job(guarded, entry.trigger, args=[entry], id=entry.name,
                              max_instances=1, coalesce=True, **entry.when)
        scheduler.add_job(lambda: lease_take(holder), "interval",
                          seconds=LEASE_TTL.total_seconds() / 3)
        self.stdout.write(f"scheduler {holder}: {len(SCHEDULE)} jobs")
        scheduler.start()
