"""`portlab job KIND key=value ...`: start a job and follow it with a progress bar."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portlab.core.errors import ApplicationError
from portlab.jobs.progress_bar import follow, run_here
from portlab.jobs.registry import HANDLERS
from portlab.jobs.services import job_start


def parameters(pairs: list[str]) -> dict:
    found = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"{pair!r}: parameters are key=value")
        try:
            found[key] = json.loads(value)
        except json.JSONDecodeError:
            found[key] = value
    return found


class Command(BaseCommand):
    help = "Start a background job and show its progress until it ends (--here: no worker)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", help="the job, e.g. " + ", ".join(sorted(HANDLERS)))
        parser.add_argument("params", nargs="*", help="key=value (values may be JSON)")
        parser.add_argument("--here", action="store_true",
                            help="run it in this process instead of waiting for a worker")
        parser.add_argument("--no-wait", action="store_true", help="queue it and exit")
        parser.add_argument("--as", dest="username", default="",
                            help="start it as this user (jobs that read or write for a person, "
                                 "e.g. pt_round_report, routing_batch, risk_evaluate)")

    def handle(self, *args, **options) -> None:
        actor = None
        if options["username"]:
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"--as: no user {options['username']!r}")
        try:
            with transaction.atomic():
                run = job_start(kind=options["kind"], params=parameters(options["params"]),
                                actor=actor)
        except ApplicationError as error:
            raise CommandError(f"{error.message} Known jobs: {', '.join(sorted(HANDLERS))}") \
                from error
        self.stdout.write(f"job {run.pk} queued")
        if options["no_wait"]:
            return
        if options["here"]:
            run_here(run.pk)
        run = follow(run.pk, options["kind"])
        for error in run.errors:
            self.stderr.write(f"line {error.get('line') or '—'}: {error['reason']}")
        if run.state != "succeeded":
            raise CommandError(f"{run.get_state_display()}: {run.message}")
        self.stdout.write(json.dumps(run.outcome, ensure_ascii=False))
