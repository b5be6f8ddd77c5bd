from django.core.management.base import BaseCommand

from portlab.instruments.services import instruments_sweep


class Command(BaseCommand):
    help = "Record instruments whose heartbeats stopped more than 60 s ago as offline (cron)."

    def handle(self, *args, **options) -> None:
        gone = instruments_sweep()
        for instrument in gone:
            self.stdout.write(f"{instrument.asset_number} offline")
        self.stdout.write(f"{len(gone)} instrument(s) went offline.")
