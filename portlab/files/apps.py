from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "portlab.files"
    label = "files"
    verbose_name = "Raw data files"
