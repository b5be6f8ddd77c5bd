"""Where applications and samples belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.intake.models import Application, Sample


def application_tenant(application: Application) -> Tenant:
    return Tenant(labs=(application.lab,), enterprise_id=application.enterprise_id)


@tenant_lookup("application")
def application_by_number(kwargs: dict) -> Tenant | None:
    row = Application.objects.select_related("lab").filter(number=kwargs["number"]).first()
    return application_tenant(row) if row else None


@tenant_lookup("sample")
def sample_by_number(kwargs: dict) -> Tenant | None:
    row = (Sample.objects.select_related("application__lab")
           .filter(number=kwargs["number"]).first())
    return application_tenant(row.application) if row else None


@tenant_lookup("audit:application")
def audited_application(kwargs: dict) -> Tenant | None:
    row = Application.objects.select_related("lab").filter(pk=kwargs["pk"]).first()
    return application_tenant(row) if row else None


@tenant_lookup("audit:sample")
def audited_sample(kwargs: dict) -> Tenant | None:
    row = Sample.objects.select_related("application__lab").filter(pk=kwargs["pk"]).first()
    return application_tenant(row.application) if row else None
