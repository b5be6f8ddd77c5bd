"""`portlab backup FILE.tar.gz`: database, raw files, media, models and public keys."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.backup.database import DatabaseBackupError
from portlab.backup.services import backup_create


class Command(BaseCommand):
    help = "Write a backup archive of this deployment (private keys excluded: see the notes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        if archive.exists():
            raise CommandError(f"{archive} exists; choose a new file name")
        try:
            summary = backup_create(archive)
        except DatabaseBackupError as error:
            raise CommandError(str(error)) from error
        files = ", ".join(f"{name} {count}" for name, count in summary.files.items())
        self.stdout.write(f"Backup written to {archive}: {summary.database} database; {files}.")
        for note in summary.notes:
            self.stdout.write(f"Note: {note}.")
