"""`portlab worker`: run queued jobs (the database queue by default, Redis when configured)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs until stopped (several workers may run, on several machines)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true",
                            help="run what is queued, then exit (tests, cron)")
        parser.add_argument("--interval", type=float, default=0.5,
                            help="seconds between looks at an empty queue")

    def handle(self, *args, **options) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            # django-tasks-rq's Job class runs the framework's Task objects (RQ's own cannot).
            call_command("rqworker", *settings.TASKS["default"].get("QUEUES", ["default"]),
                         job_class="django_tasks_rq.Job", burst=options["batch"],
                         verbosity=options["verbosity"])
            return
        arguments = ["--interval", str(options["interval"]), "--no-reload",
                     "--no-startup-delay"]
        if options["batch"]:
            arguments.append("--batch")
        call_command("db_worker", *arguments, verbosity=options["verbosity"])
