"""`portlab audit-verify`: every audit chain and every signed checkpoint.

It lives beside the key commands because checking checkpoint signatures needs the network's
root certificate from the keys directory (never its private key).
"""

from django.core.management.base import BaseCommand, CommandError

from portlab.audit.verification import audit_verify
from portlab.reports import keys
from portlab.reports.keystore import keys_directory


class Command(BaseCommand):
    help = ("Recompute every audit chain, check every signed checkpoint, and report each "
            "event edited, deleted or re-hashed.")

    def handle(self, *args, **options) -> None:
        try:
            root = keys.root_certificate_load(keys_directory())
        except keys.SigningKeyError:
            root = None  # no keys on this host: checkpoints, if any, are reported unchecked
        report = audit_verify(root_certificate=root)
        for finding in report.findings:
            event = f" (event id {finding.event_id})" if finding.event_id else ""
            self.stderr.write(f"{finding.where}: {finding.reason}{event}")
        summary = (f"{report.events} events in {report.chains} chains, "
                   f"{report.checkpoints} checkpoints verified")
        if not report.intact:
            raise CommandError(f"Audit trail broken: {len(report.findings)} finding(s); {summary}.")
        self.stdout.write(f"Audit trail intact: {summary}.")
