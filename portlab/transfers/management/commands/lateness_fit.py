"""`portlab lateness-fit`: learn each lab's lateness from its completed tests, and how long its
down instruments stay down from their status record (nightly)."""

from django.core.management.base import BaseCommand, CommandError

from portlab.instruments.downtime import MINIMUM_EPISODES
from portlab.transfers.forecasts import prediction_refit
from portlab.transfers.lateness import MINIMUM_APPLICATIONS, MINIMUM_TESTS


class Command(BaseCommand):
    help = ("Count how many working days after its simulated day (recorded at filing) each "
            "completed test completed, and store a lateness table for the network and for each "
            "lab with enough tests, its interval's levels calibrated on the last completed "
            "applications; and store how many working days a down instrument stayed down. "
            "Predictions use the lab's newest, else the network's.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minimum", type=int, default=MINIMUM_TESTS,
                            help=f"fewest completed tests for a table (default {MINIMUM_TESTS})")
        parser.add_argument("--minimum-applications", type=int, default=MINIMUM_APPLICATIONS,
                            help="fewest completed applications to calibrate the interval's "
                                 f"levels on (default {MINIMUM_APPLICATIONS})")
        parser.add_argument("--minimum-episodes", type=int, default=MINIMUM_EPISODES,
                            help="fewest downtime episodes for an expected return (default "
                                 f"{MINIMUM_EPISODES})")

    def handle(self, *args, **options) -> None:
        for option in ("minimum", "minimum_applications", "minimum_episodes"):
            if options[option] < 1:
                raise CommandError(f"--{option.replace('_', '-')}: at least 1")
        for refit in prediction_refit(minimum=options["minimum"],
                                      minimum_applications=options["minimum_applications"],
                                      minimum_episodes=options["minimum_episodes"]):
            self.stdout.write(refit.describe())
