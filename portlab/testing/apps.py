from django.apps import AppConfig


class TestingConfig(AppConfig):
    name = "portlab.testing"
    label = "testing"

    def ready(self) -> None:
        from portlab.testing import tenants  # noqa: F401  (registers the route gate's look-ups)
