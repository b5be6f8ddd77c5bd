import time

from django.core.management.base import BaseCommand

from portlab.boards.rollup import board_rollup_refresh


class Command(BaseCommand):
    help = ("Refresh the quality board's roll-ups (approvals per local day for each lab, "
            "district and the network; open work per lab and status): today's approvals, or "
            "every kept day at the first refresh of a day or with --full. The board reads them "
            "while they are under an hour old.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full", action="store_true",
                            help="recount every kept day, not only today")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        state = board_rollup_refresh(full=options["full"])
        self.stdout.write(f"board roll-up as of {state.refreshed_at:%Y-%m-%d %H:%M:%S}, "
                          f"approvals recounted from {state.recounted_from:%Y-%m-%d}, "
                          f"in {time.perf_counter() - started:.1f} s")
