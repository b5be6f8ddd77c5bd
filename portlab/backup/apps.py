from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "portlab.backup"
    verbose_name = "Backup"
