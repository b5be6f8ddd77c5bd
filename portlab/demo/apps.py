from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic data: the top of the dependency order, so it may use every app."""

    name = "portlab.demo"
    label = "demo"
