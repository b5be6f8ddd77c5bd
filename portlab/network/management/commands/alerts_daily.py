"""`portlab alerts-daily`: mail each lab's managers what falls due (run daily by the scheduler)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portlab.network.alerts import alerts_send


class Command(BaseCommand):
    help = "E-mail each lab's quality and lab managers the authorizations, calibrations, checks " \
           "and tests falling due (once a day per lab)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the day to report as YYYY-MM-DD (default: today)")

    def handle(self, *args, **options) -> None:
        try:
            today = (datetime.date.fromisoformat(options["date"]) if options["date"]
                     else timezone.localdate())
        except ValueError as error:
            raise CommandError(f"--date: {options['date']!r} is not a date like 2026-11-25") \
                from error
        run = alerts_send(today)
        self.stdout.write(f"{today}: {len(run.mailed)} labs mailed, {len(run.already)} already "
                          f"mailed, {len(run.no_address)} without a manager's address")
        if run.no_address:
            self.stdout.write("no address: " + ", ".join(run.no_address))
