from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "portlab.quality"
    label = "quality"
    verbose_name = _("Quality system")

    def ready(self) -> None:
        from portlab.quality import tenants  # noqa: F401  (registers the route gate's look-ups)
