from django.core.management.base import BaseCommand

from portlab.instruments.telemetry_store import hours_rollup, rollup_due


class Command(BaseCommand):
    help = ("Roll up the telemetry samples of the hours since the last roll-up (at most a day "
            "back) into one row per instrument and hour.")

    def handle(self, *args, **options) -> None:
        since, until = rollup_due()
        rows = hours_rollup(since, until)
        self.stdout.write(f"{rows} instrument-hour(s) from {since:%Y-%m-%d %H:%M} to "
                          f"{until:%Y-%m-%d %H:%M} UTC")
