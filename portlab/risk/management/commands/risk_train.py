"""`portlab risk-train`: retrain on the labelled declarations, then adapt the target rates."""

from django.core.management.base import BaseCommand, CommandError

from portlab.core.errors import ApplicationError
from portlab.risk import training
from portlab.risk.model import ROUNDS


class Command(BaseCommand):
    help = "Train a model on declarations with known outcomes and make it the active version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rounds", type=int, default=ROUNDS, help="boosting rounds")
        parser.add_argument("--threads", type=int, default=1, help="LightGBM threads")
        parser.add_argument("--no-adapt", action="store_true",
                            help="keep the target sampling rates as they are")

    def handle(self, *args, **options) -> None:
        try:
            version = training.model_train_from_history(rounds=options["rounds"],
                                                        threads=options["threads"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        metrics = ", ".join(f"{k} {v:.3f}" for k, v in version.holdout_metrics.items()
                            if v is not None)
        self.stdout.write(f"model {version.version}: {version.trained_rows} declarations "
                          f"({version.positives} nonconforming) -> {version.file_path}")
        self.stdout.write(f"hold-out: {metrics or 'too little history to measure'}")
        if options["no_adapt"]:
            return
        for change in training.sampling_rates_adapt():
            self.stdout.write(
                f"rate HS {change['hs_chapter']} {change['credit_grade']}: "
                f"{change['before']:.4f} -> {change['after']:.4f} ({change['reason']})")
