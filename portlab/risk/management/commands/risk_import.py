"""`portlab risk-import FILE.csv`: import declaration history, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.risk.importing import declarations_import


class Command(BaseCommand):
    help = "Import declarations (with an optional nonconforming 0/1 column) from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="CSV file, UTF-8, header on line 1")

    def handle(self, *args, **options) -> None:
        path: Path = options["path"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            counts = declarations_import(actor=None, text=text, source=path.name)
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from error
        self.stdout.write(f"{counts['created']} declarations imported, "
                          f"{counts['unchanged']} already present")
