"""`portlab keys-init`: create the root key (once) and a signing key for every lab without one."""

from django.core.management.base import BaseCommand

from portlab.reports import keystore


class Command(BaseCommand):
    help = "Create the network root CA and one signing key per lab (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--network-name", default=keystore.DEFAULT_NETWORK_NAME,
                            help="Name in the root certificate (first run only).")

    def handle(self, *args, **options) -> None:
        issued = keystore.network_keys_init(network_name=options["network_name"])
        directory = keystore.keys_directory()
        if issued:
            self.stdout.write(f"New lab keys: {', '.join(issued)}")
        else:
            self.stdout.write("Every lab already has a valid key; nothing created.")
        self.stdout.write(f"Keys directory: {directory}")
        self.stdout.write(f"Audit log key (signs checkpoints): {directory / 'log.cert.pem'}")
        self.stdout.write(f"Trust list: {directory / keystore.TRUST_LIST_FILE}")
        self.stdout.write(
            f"PORTLAB_ROOT_FINGERPRINT={keystore.root_fingerprint_current()}")
