import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portlab.demo.generate import generate, generate_refusal
from portlab.jobs.progress_bar import counting, follow
from portlab.jobs.services import job_start


class Command(BaseCommand):
    help = "Generate a large synthetic network and test history for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--labs", type=int, default=1370)
        parser.add_argument("--capabilities", type=int, default=8427,
                            help="capabilities per district")
        parser.add_argument("--tests", type=int, default=2_000_000)
        parser.add_argument("--districts", type=int, default=None)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="X",
                            help="code prefix, so that several generated networks can coexist")
        parser.add_argument("--national", action="store_true",
                            help="the national year, made inside PostgreSQL: 1,370 labs, "
                                 "50,000,000 tests, 160,000 instruments with a day of "
                                 "telemetry (the options above are then ignored)")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="with --national: this fraction of the tests and instruments")
        parser.add_argument("--background", action="store_true",
                            help="run it as a job on the workers (its page is under /jobs/) "
                                 "and follow it here")

    def handle(self, *args, **options) -> None:
        if options["national"]:
            self._national(options["scale"], options["seed"], options["prefix"])
            return
        names = ("labs", "capabilities", "tests", "districts", "seed", "prefix")
        chosen = {name: options[name] for name in names}
        refusal = generate_refusal(**chosen)
        if refusal:
            raise CommandError(refusal)
        if options["background"]:
            with transaction.atomic():
                run = job_start(kind="generate", params=chosen)
            self.stdout.write(f"job {run.pk} queued; following it (Ctrl+C leaves it running)")
            run = follow(run.pk, "tests")
            if run.state != "succeeded":
                raise CommandError(f"{run.get_state_display()}: {run.message}")
            self.stdout.write(f"Generated {run.outcome['labs']} labs, "
                              f"{run.outcome['tests']:,} tests.")
            return
        started = time.perf_counter()
        with counting("tests", options["tests"]) as advance:
            summary = generate(**chosen, progress=advance)
        self.stdout.write(
            f"Generated {summary.districts} districts, {summary.labs} labs, "
            f"{summary.capabilities:,} capabilities, {summary.applications:,} applications, "
            f"{summary.tests:,} tests in {time.perf_counter() - started:.1f} s.")

    def _national(self, scale: float, seed: int, prefix: str) -> None:
        from portlab.demo.national import NATIONAL, generate_national, national_refusal

        refusal = national_refusal(scale) or generate_refusal(
            labs=1, capabilities=1, tests=0, prefix=prefix)
        if refusal:
            raise CommandError(refusal)
        started = time.perf_counter()
        with counting("tests", round(NATIONAL["tests"] * scale)) as advance:
            done = generate_national(scale=scale, seed=seed, prefix=prefix, progress=advance)
        self.stdout.write(
            f"Generated {done.labs} labs, {done.capabilities:,} capabilities, "
            f"{done.samples:,} samples, {done.tests:,} tests, {done.instruments:,} instruments "
            f"with {done.telemetry_samples:,} telemetry samples (scale {scale}) "
            f"in {time.perf_counter() - started:.1f} s.")
        for name, seconds in done.phases.items():
            self.stdout.write(f"  {name}: {seconds:.1f} s")
