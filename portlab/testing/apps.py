from django.apps import AppConfig


class TestingConfig(AppConfig):
    name = "portlab.testing"
    label = "testing"
