from django.core.management.base import BaseCommand, CommandError

from portlab.network.models import Lab, RecognitionAgreement


class Command(BaseCommand):
    help = "Add recognition agreements and cross-district transfers to the demo network."

    def handle(self, *args, **options) -> None:
        from portlab.demo.network import load_network_demo

        if not Lab.objects.filter(code="TJ-TC").exists():
            raise CommandError("Load the demo network first: portlab demo")
        if RecognitionAgreement.objects.exists():
            raise CommandError("Agreements exist already; the network demo is loaded.")
        load_network_demo()
        self.stdout.write("Loaded recognition agreements and cross-district transfers.")
