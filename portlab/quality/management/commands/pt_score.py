"""`portlab pt-score FILE.csv [--method …] [--sigma-pt X] [--assigned X --assigned-u U]
[--json]`: ISO 13528 scores of a PT results file."""

import json

from django.core.management.base import BaseCommand, CommandError

from portlab.quality.cli import QualityFileError, pt_score_command


class Command(BaseCommand):
    help = "ISO 13528 robust statistics and z, z′, zeta, En scores for a PT results file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--method", default="algorithm-a",
                            choices=["algorithm-a", "q-hampel"])
        parser.add_argument("--sigma-pt", type=float, dest="sigma_pt")
        parser.add_argument("--assigned", type=float)
        parser.add_argument("--assigned-u", type=float, dest="assigned_u")
        parser.add_argument("--json", action="store_true", help="print the full JSON report")

    def handle(self, *args, **options) -> None:
        try:
            report = pt_score_command(options["file"], method=options["method"],
                                      sigma_pt=options["sigma_pt"], assigned=options["assigned"],
                                      assigned_u=options["assigned_u"])
        except (QualityFileError, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"x_pt = {report['assigned_value']:.6g}  "
                          f"sigma_pt = {report['sigma_pt']:.6g}  n = {report['participants']}")
        for row in report["scores"]:
            self.stdout.write(f"{row['participant']}\t{row['result']:g}\tz = {row['z']:+.2f}\t"
                              f"{row['z_evaluation']}")
