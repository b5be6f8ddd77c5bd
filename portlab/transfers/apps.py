from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "portlab.transfers"
    label = "transfers"

    def ready(self) -> None:
        from portlab.intake.services import application_register_follow
        from portlab.transfers import tenants  # noqa: F401  (registers the route gate's look-ups)
        from portlab.transfers.tasks import forecast_record_start

        # The completion date predicted at filing is kept, to learn each lab's lateness from
        # (by the worker, so that filing does not wait for it).
        application_register_follow(forecast_record_start)
