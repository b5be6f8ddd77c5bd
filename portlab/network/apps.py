from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "portlab.network"
    label = "network"
