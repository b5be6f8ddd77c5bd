from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "portlab.intake"
    label = "intake"

    def ready(self) -> None:
        from portlab.intake import tenants  # noqa: F401  (registers the route gate's look-ups)
