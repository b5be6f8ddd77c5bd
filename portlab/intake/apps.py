from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "portlab.intake"
    label = "intake"
