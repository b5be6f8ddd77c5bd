from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "portlab.audit"
    label = "audit"
