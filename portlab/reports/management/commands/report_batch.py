"""`portlab report-batch --as USER APPLICATION...`: issue a batch of reports as a job, signed
once with the password (or authenticator code) typed at the prompt, and follow its progress."""

import getpass
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portlab.accounts.signatures import Credential
from portlab.core.errors import ApplicationError
from portlab.jobs.progress_bar import follow, run_here
from portlab.reports.batch import report_batch_start


class Command(BaseCommand):
    help = "Issue the reports of approved applications as one job, under one signature."

    def add_arguments(self, parser) -> None:
        parser.add_argument("applications", nargs="+", help="application numbers")
        parser.add_argument("--as", dest="username", required=True, help="the signatory")
        parser.add_argument("--language", default="zh-hans", help="zh-hans, en or zh-en")
        parser.add_argument("--totp", action="store_true",
                            help="sign with an authenticator code instead of the password")
        parser.add_argument("--here", action="store_true",
                            help="run it in this process instead of waiting for a worker")

    def handle(self, *args, **options) -> None:
        signer = get_user_model().objects.filter(username=options["username"]).first()
        if signer is None:
            raise CommandError(f"--as: no user {options['username']!r}")
        secret = getpass.getpass("Authenticator code: " if options["totp"] else "Password: ")
        credential = Credential(totp=secret) if options["totp"] else Credential(password=secret)
        try:
            run = report_batch_start(actor=signer, numbers=options["applications"],
                                     language=options["language"], credential=credential)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"job {run.pk} queued")
        if options["here"]:
            run_here(run.pk)
        run = follow(run.pk, "report_batch")
        for error in run.errors:
            self.stderr.write(f"{error.get('item') or error.get('line') or '—'}: "
                              f"{error['reason']}")
        if run.state != "succeeded":
            raise CommandError(f"{run.get_state_display()}: {run.message}")
        self.stdout.write(json.dumps(run.outcome, ensure_ascii=False))
