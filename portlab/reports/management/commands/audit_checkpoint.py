"""`portlab audit-checkpoint`: sign the head of every audit chain as the next checkpoint.

Run it periodically (hourly); it lives beside the key commands because it signs with the
network's audit log key.
"""

from django.core.management.base import BaseCommand, CommandError

from portlab.audit.checkpoints import checkpoint_create
from portlab.core.errors import ApplicationError
from portlab.reports.keystore import log_key_current


class Command(BaseCommand):
    help = "Sign a checkpoint (Merkle tree head over every audit chain's head) and publish it."

    def handle(self, *args, **options) -> None:
        try:
            key = log_key_current()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        checkpoint = checkpoint_create(private_key=key.private_key, certificate=key.certificate)
        self.stdout.write(f"Checkpoint {checkpoint.number}: {checkpoint.tree_size} chains, "
                          f"root hash {checkpoint.root_hash}, published at "
                          f"/audit/checkpoints/{checkpoint.number}.json")
