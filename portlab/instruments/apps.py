from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "portlab.instruments"
    verbose_name = _("Instruments")

    def ready(self) -> None:
        from portlab.instruments import tenants  # noqa: F401  (registers the route gate's look-ups)
