"""`portlab keys-rotate LAB`: issue a new signing key; reports signed earlier stay verifiable."""

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.network.models import Lab
from portlab.reports import keystore


class Command(BaseCommand):
    help = "Issue a new signing key for a lab; its old certificates stay in the trust list."

    def add_arguments(self, parser) -> None:
        parser.add_argument("lab", help="Lab code, e.g. TJ-TC")

    def handle(self, *args, **options) -> None:
        lab = Lab.objects.filter(code=options["lab"]).first()
        if lab is None:
            raise CommandError(f"Unknown lab code {options['lab']!r}.")
        try:
            key = keystore.lab_key_rotate(lab=lab)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"New key for {lab.code}: kid {key.kid.hex()}, valid until "
                          f"{key.not_after:%Y-%m-%d}. Trust list rewritten.")
