"""`portlab westgard FILE.csv [--mean M --sd S] [--json]`: Westgard multirules over a QC file."""

import json

from django.core.management.base import BaseCommand, CommandError

from portlab.quality.cli import QualityFileError, westgard_command


class Command(BaseCommand):
    help = "Evaluate QC points (columns run, level, value[, mean, sd]) by Westgard multirules."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--mean", type=float, help="target mean for rows without one")
        parser.add_argument("--sd", type=float, help="target sd for rows without one")
        parser.add_argument("--json", action="store_true", help="print the full JSON report")

    def handle(self, *args, **options) -> None:
        try:
            report = westgard_command(options["file"], mean=options["mean"], sd=options["sd"])
        except (QualityFileError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for run in report["runs"]:
            self.stdout.write(f"{run['run']}\t{run['status']}")
        self.stdout.write(f"overall\t{report['status']}")
