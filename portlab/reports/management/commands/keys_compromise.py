"""`portlab keys-compromise LAB --since DATE`: a lab key was lost or stolen."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.network.models import Lab
from portlab.reports import keystore


class Command(BaseCommand):
    help = ("Declare a lab's signing key compromised from a date: reports it signed on or after "
            "that date verify as 'signature key revoked', earlier ones stay genuine. Issues the "
            "lab's next key and rewrites the signed trust list.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("lab", help="Lab code, e.g. TJ-TC")
        parser.add_argument("--since", required=True, type=dt.date.fromisoformat,
                            help="First day the key may have been misused (YYYY-MM-DD)")
        parser.add_argument("--kid", default="", help="Key id (hex); default: the current key")
        parser.add_argument("--reason", default="", help="What happened, for the audit trail")

    def handle(self, *args, **options) -> None:
        lab = Lab.objects.filter(code=options["lab"]).first()
        if lab is None:
            raise CommandError(f"Unknown lab code {options['lab']!r}.")
        try:
            old, new = keystore.lab_key_compromise(lab=lab, since=options["since"],
                                                   reason=options["reason"], kid=options["kid"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Key {old.kid.hex()} of {lab.code} is compromised from "
                          f"{options['since']:%Y-%m-%d}; new key {new.kid.hex()}, valid until "
                          f"{new.not_after:%Y-%m-%d}. Trust list rewritten.")
