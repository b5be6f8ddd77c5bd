"""`portlab trust-list --output FILE`: write the signed trust list for offline verifiers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portlab.reports import keystore
from portlab.reports.keys import SigningKeyError
from portlab.reports.trust_list import TrustListError


class Command(BaseCommand):
    help = "Write the signed trust list (every lab key, current and retired) to a file."
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", required=True, help="File to write (JSON).")

    def handle(self, *args, **options) -> None:
        try:
            path = keystore.trust_list_write(Path(options["output"]))
        except (SigningKeyError, TrustListError, OSError) as error:
            raise CommandError(f"Cannot write the trust list: {error}. "
                               "Run `portlab keys-init` first.") from error
        self.stdout.write(f"Trust list written to {path}")
