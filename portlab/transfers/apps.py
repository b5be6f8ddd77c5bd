from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "portlab.transfers"
    label = "transfers"

    def ready(self) -> None:
        from portlab.transfers import tenants  # noqa: F401  (registers the route gate's look-ups)
