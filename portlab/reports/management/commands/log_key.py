"""`portlab log-key`: issue a new audit log key, certified by the root (run where it is kept)."""

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.reports import keystore


class Command(BaseCommand):
    help = "Issue a new audit log key (it signs checkpoints) and rewrite the trust list."

    def handle(self, *args, **options) -> None:
        try:
            key = keystore.log_key_issue()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"New audit log key: kid {key.kid.hex()}, valid until "
                          f"{key.not_after:%Y-%m-%d}. Trust list rewritten.")
