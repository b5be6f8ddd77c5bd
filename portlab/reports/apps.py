from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "portlab.reports"
    label = "reports"
