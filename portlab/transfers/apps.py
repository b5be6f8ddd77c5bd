from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "portlab.transfers"
    label = "transfers"
