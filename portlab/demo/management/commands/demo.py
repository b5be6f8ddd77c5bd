from django.core.management.base import BaseCommand

from portlab.demo.loader import PASSWORD, STAFF, load_demo
from portlab.network.models import District


class Command(BaseCommand):
    help = "Load the demo network (districts, labs, catalog, users, applications in every state)."

    def handle(self, *args, **options) -> None:
        if District.objects.exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("Demo network loaded."))
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD}):")
        self.stdout.write("  admin        administrator (network), also /admin/")
        for username, name, role, lab in STAFF:
            self.stdout.write(f"  {username:<12} {role} @ {lab}  ({name})")
        self.stdout.write("  tjquality    quality_manager @ district 0200 (Tianjin)")
        self.stdout.write("  outsider     external instrument user (books shared instruments)")
        for index in range(1, 5):
            self.stdout.write(f"  enterprise{index}  enterprise user")
