"""`portlab risk-rates FILE.csv`: load customs exchange rates, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.risk.exchange_rates import exchange_rates_import


class Command(BaseCommand):
    help = "Load customs exchange rates (currency, valid_from, rate, source) from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="CSV file, UTF-8, header on line 1")

    def handle(self, *args, **options) -> None:
        path: Path = options["path"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            counts = exchange_rates_import(actor=None, text=text)
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from error
        self.stdout.write(f"{counts['created']} rates added, {counts['changed']} changed, "
                          f"{counts['unchanged']} already present")
