import time

from django.core.management.base import BaseCommand

from portlab.boards.rollup import board_rollup_refresh


class Command(BaseCommand):
    help = ("Rebuild the quality board's roll-ups (turnaround per lab and day, open work per "
            "lab and status) from the tests; the board reads them while they are under an "
            "hour old.")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        state = board_rollup_refresh()
        self.stdout.write(f"board roll-up as of {state.refreshed_at:%Y-%m-%d %H:%M:%S} "
                          f"in {time.perf_counter() - started:.1f} s")
