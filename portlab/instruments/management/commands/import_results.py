from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from portlab.accounts.models import User
from portlab.core.errors import ApplicationError
from portlab.instruments.models import Instrument
from portlab.instruments.services import (
    agent_actor,
    held_rows_retry,
    import_counts,
    result_file_publish,
    result_file_receive,
    result_file_stage,
)


class Command(BaseCommand):
    help = ("Import an instrument's result file with a progress bar: every row staged "
            "(entered after the analyst confirms, or held with its reason). Running it again "
            "after a crash resumes; on an imported file it retries the held rows.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("asset_number")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="the importing user (default: the instrument's "
                                           "agent)")

    def handle(self, *args, asset_number: str, file: Path, user: str | None,
               **options) -> None:
        instrument = Instrument.objects.select_related("lab").filter(
            asset_number=asset_number).first()
        if instrument is None:
            raise CommandError(f"No instrument {asset_number}.")
        actor = (User.objects.get(username=user) if user else agent_actor(instrument))
        try:
            result_file, duplicate = result_file_receive(
                actor=actor, instrument=instrument, filename=file.name,
                content=file.read_bytes())
            if duplicate:
                held_rows_retry(actor=actor, result_file=result_file)
            else:
                self._stage(result_file, file.read_bytes())
        except ApplicationError as error:
            raise CommandError(error.message) from error
        counts = import_counts(result_file)
        self.stdout.write(", ".join(f"{status}: {n}" for status, n in counts.items()))

    def _stage(self, result_file, content: bytes) -> None:
        columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task(f"{result_file.filename}", total=None)

            def report(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result_file_stage(result_file=result_file, content=content, progress=report)
        result_file_publish(result_file=result_file)
