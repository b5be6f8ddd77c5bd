from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "portlab.quality"
    label = "quality"
