"""Where reports belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.reports.models import Report


def _report_tenant(report: Report | None) -> Tenant | None:
    if report is None:
        return None
    return Tenant(labs=(report.lab,), enterprise_id=report.application.enterprise_id)


@tenant_lookup("report")
def report_by_number(kwargs: dict) -> Tenant | None:
    return _report_tenant(Report.objects.select_related("lab", "application")
                          .filter(number=kwargs["number"]).first())


@tenant_lookup("audit:report")
def audited_report(kwargs: dict) -> Tenant | None:
    return _report_tenant(Report.objects.select_related("lab", "application")
                          .filter(pk=kwargs["pk"]).first())
