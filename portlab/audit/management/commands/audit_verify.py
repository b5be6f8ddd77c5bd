from django.core.management.base import BaseCommand, CommandError

from portlab.audit.services import audit_verify


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain and report the first tampered event."

    def handle(self, *args, **options) -> None:
        checked, broken = audit_verify()
        if broken:
            raise CommandError(
                f"Audit trail broken at event {broken.event_id}: {broken.reason} "
                f"({checked} events read)."
            )
        self.stdout.write(f"Audit trail intact: {checked} events verified.")
