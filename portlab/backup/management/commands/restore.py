"""`portlab restore FILE.tar.gz`: into a fresh database (DATABASE_URL) and empty directories."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.backup.database import DatabaseBackupError
from portlab.backup.services import backup_restore


class Command(BaseCommand):
    help = ("Restore a backup archive into an empty database and empty directories; then run "
            "`portlab audit-verify`.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        try:
            summary = backup_restore(archive)
        except DatabaseBackupError as error:
            raise CommandError(str(error)) from error
        files = ", ".join(f"{name} {count}" for name, count in summary.files.items())
        self.stdout.write(f"Restored {summary.database} database from {archive}; {files}.")
        for note in summary.notes:
            self.stdout.write(f"Note: {note}.")
        self.stdout.write("Next: `portlab audit-verify`; put the private keys back to sign again.")
