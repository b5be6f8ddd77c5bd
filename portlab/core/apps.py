from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portlab.core"
    label = "core"
