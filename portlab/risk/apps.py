from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "portlab.risk"
    label = "risk"
