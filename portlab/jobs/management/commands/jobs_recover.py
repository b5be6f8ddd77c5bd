from django.core.management.base import BaseCommand

from portlab.jobs.services import jobs_recover


class Command(BaseCommand):
    help = "Queue again (or fail) jobs whose worker stopped beating."

    def handle(self, *args, **options) -> None:
        counts = jobs_recover()
        self.stdout.write(f"{counts['requeued']} requeued, {counts['failed']} failed")
