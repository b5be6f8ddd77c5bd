from django.core.management.base import BaseCommand

from portlab.instruments.telemetry_store import partitions_maintain, retention_days


class Command(BaseCommand):
    help = ("Make the telemetry history's daily partitions for today and the next 7 days and "
            "drop those older than PORTLAB_TELEMETRY_DAYS (PostgreSQL; on SQLite, delete the "
            "old samples).")

    def handle(self, *args, **options) -> None:
        done = partitions_maintain()
        self.stdout.write(f"made {len(done['created'])} partition(s) {' '.join(done['created'])}")
        self.stdout.write(f"retention {retention_days()} days; dropped: "
                          f"{', '.join(done['dropped']) or 'nothing'}")
