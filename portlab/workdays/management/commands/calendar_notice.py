"""`portlab calendar-notice YEAR FILE.csv --notice TEXT`: enter a year's official holiday notice."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.workdays.services import notice_rows_parse, official_year_record, official_years_sync


class Command(BaseCommand):
    help = ("Enter the State Council's holiday notice for a year (lines: date,休|班,name), or "
            "with --sync add the years the chinesecalendar package knows and the table lacks.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("year", type=int, nargs="?")
        parser.add_argument("path", type=Path, nargs="?", help="CSV file, UTF-8")
        parser.add_argument("--notice", default="",
                            help="the notice's number, e.g. 国办发明电〔2026〕7号")
        parser.add_argument("--sync", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["sync"]:
            added = official_years_sync()
            self.stdout.write(f"years added: {', '.join(map(str, added)) or 'none'}")
            return
        if options["year"] is None or options["path"] is None:
            raise CommandError("give YEAR and FILE, or --sync")
        try:
            text = options["path"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{options['path']}: {error}") from error
        try:
            official = official_year_record(year=options["year"], notice=options["notice"],
                                            days=notice_rows_parse(text), actor=None)
        except ApplicationError as error:
            raise CommandError(f"{options['path']}: {error.message}") from error
        self.stdout.write(f"{official.year}: {official.days.count()} days entered")
