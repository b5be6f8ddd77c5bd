from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """`portlab migrate` also creates the database cache's table the rate limits count in."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "portlab.core"
    label = "core"

    def ready(self) -> None:
        from portlab.core import startup  # noqa: F401  (registers the secret key check)

        post_migrate.connect(create_cache_table, sender=self)
