from django.core.management.base import BaseCommand, CommandError

from portlab.instruments.models import Instrument
from portlab.instruments.services import instrument_token_create


class Command(BaseCommand):
    help = "Create the agent token of an instrument (shown once; earlier tokens are revoked)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("asset_number")

    def handle(self, *args, **options) -> None:
        instrument = Instrument.objects.filter(asset_number=options["asset_number"]).first()
        if instrument is None:
            raise CommandError(f"No instrument with asset number {options['asset_number']}.")
        self.stdout.write(instrument_token_create(actor=None, instrument=instrument))
