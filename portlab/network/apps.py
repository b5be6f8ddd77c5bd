from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "portlab.network"
    label = "network"

    def ready(self) -> None:
        from portlab.network import tenants  # noqa: F401  (registers the route gate's look-ups)
