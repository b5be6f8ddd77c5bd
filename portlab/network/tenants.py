"""Where labs and capabilities belong, for the route gate (portlab.accounts.routes).
Network-wide definitions (test items, methods, standards) belong to no lab."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.network.models import Capability, Lab


@tenant_lookup("lab")
def lab_by_code(kwargs: dict) -> Tenant | None:
    row = Lab.objects.filter(code=kwargs["code"]).first()
    return Tenant(labs=(row,)) if row else None


@tenant_lookup("audit:lab")
def audited_lab(kwargs: dict) -> Tenant | None:
    row = Lab.objects.filter(pk=kwargs["pk"]).first()
    return Tenant(labs=(row,)) if row else None


@tenant_lookup("audit:capability")
def audited_capability(kwargs: dict) -> Tenant | None:
    row = Capability.objects.select_related("lab").filter(pk=kwargs["pk"]).first()
    return Tenant(labs=(row.lab,)) if row else None
