"""`portlab risk-demo`: risk analysis demo data on top of `portlab demo`."""

from django.core.management.base import BaseCommand, CommandError

from portlab.demo.risk import PASSWORD, demo_summary, load_risk_demo
from portlab.network.models import Lab
from portlab.risk.models import Declaration


class Command(BaseCommand):
    help = "Load risk profiles, rules, declaration history, model versions and decisions."

    def handle(self, *args, **options) -> None:
        if not Lab.objects.exists():
            raise CommandError("Load the demo network first: portlab demo")
        if Declaration.objects.exists():
            self.stdout.write("Risk demo data is already loaded.")
        else:
            load_risk_demo()
        summary = demo_summary()
        self.stdout.write(f"{summary['declarations']} declarations, "
                          f"{summary['applications']} lab applications from risk selection")
        self.stdout.write(f"Risk officer login: risk / {PASSWORD}, board at /risk/")
