import time

from django.core.management.base import BaseCommand, CommandError

from portlab.demo.generate import generate
from portlab.network.models import District


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

    def handle(self, *args, **options) -> None:
        for name in ("labs", "capabilities", "tests"):
            if options[name] < (1 if name != "tests" else 0):
                raise CommandError(f"--{name} must be positive, got {options[name]}")
        if District.objects.filter(code__startswith=options["prefix"]).exists():
            raise CommandError(f"A network with prefix {options['prefix']!r} exists already; "
                               "choose another --prefix.")
        started = time.perf_counter()
        summary = generate(
            labs=options["labs"], capabilities=options["capabilities"], tests=options["tests"],
            districts=options["districts"], seed=options["seed"], prefix=options["prefix"],
            progress=lambda n: self.stderr.write(f"\r{n:,} tests", ending=""))
        self.stderr.write("")
        self.stdout.write(
            f"Generated {summary.districts} districts, {summary.labs} labs, "
            f"{summary.capabilities:,} capabilities, {summary.applications:,} applications, "
            f"{summary.tests:,} tests in {time.perf_counter() - started:.1f} s.")
