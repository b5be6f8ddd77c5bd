from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "portlab.quality"
    label = "quality"

    def ready(self) -> None:
        from portlab.quality import tenants  # noqa: F401  (registers the route gate's look-ups)
