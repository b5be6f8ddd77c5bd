"""`portlab risk-evaluate --train FILE --test FILE [--json]`: train on one CSV, rank another."""

from django.core.management.base import BaseCommand, CommandError

from portlab.risk.evaluate import main


class Command(BaseCommand):
    help = "Train on labelled declarations and report precision/recall at 1/5/10% inspected."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--train", required=True, help="labelled declarations CSV to train on")
        parser.add_argument("--test", required=True, help="labelled declarations CSV to rank")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options) -> None:
        argv = ["--train", options["train"], "--test", options["test"]]
        if options["json"]:
            argv.append("--json")
        if main(argv) != 0:
            raise CommandError("evaluation failed; the reason is printed above")
