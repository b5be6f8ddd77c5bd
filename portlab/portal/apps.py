from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portlab.portal"
    label = "portal"
