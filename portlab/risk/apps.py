from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "portlab.risk"
    label = "risk"

    def ready(self) -> None:
        from portlab.reports.services import report_issue_follow
        from portlab.risk.services import risk_feedback_for_application

        # The lab's verdict labels the customs declaration the sample came from (risk feedback).
        report_issue_follow(risk_feedback_for_application)
