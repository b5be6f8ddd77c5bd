"""`portlab lateness-fit`: learn each lab's lateness from its completed tests (nightly)."""

from django.core.management.base import BaseCommand, CommandError

from portlab.transfers.forecasts import lateness_refit
from portlab.transfers.lateness import MINIMUM_TESTS


class Command(BaseCommand):
    help = ("Count how many working days after its simulated day (recorded at filing) each "
            "completed test completed, and store a lateness table for the network and for each "
            "lab with enough tests; predictions use the lab's newest, else the network's.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minimum", type=int, default=MINIMUM_TESTS,
                            help=f"fewest completed tests for a table (default {MINIMUM_TESTS})")

    def handle(self, *args, **options) -> None:
        if options["minimum"] < 1:
            raise CommandError("--minimum: at least 1 completed test")
        for refit in lateness_refit(minimum=options["minimum"]):
            self.stdout.write(refit.describe())
