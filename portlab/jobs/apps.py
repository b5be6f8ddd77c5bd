from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "portlab.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app's tasks.py registers its job handlers with @job.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
