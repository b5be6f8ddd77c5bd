from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "portlab.workdays"
    label = "workdays"
    verbose_name = "Working-day calendar"
