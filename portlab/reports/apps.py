from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "portlab.reports"
    label = "reports"

    def ready(self) -> None:
        from portlab.reports import tenants  # noqa: F401  (registers the route gate's look-ups)
