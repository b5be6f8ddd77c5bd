"""Where labs, capabilities and transfers belong, for the route gate (portlab.accounts.routes).
Network-wide definitions (test items, methods, standards) belong to no lab."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.network.models import Capability, Lab, Transfer


@tenant_lookup("lab")
def lab_by_code(kwargs: dict) -> Tenant | None:
    row = Lab.objects.filter(code=kwargs["code"]).first()
    return Tenant(labs=(row,)) if row else None


def _transfer(kwargs: dict) -> Transfer | None:
    return Transfer.objects.select_related("from_lab", "to_lab").filter(
        pk=kwargs["transfer_id"]).first()


@tenant_lookup("transfer")
def transfer_by_id(kwargs: dict) -> Tenant | None:
    """Both labs see a transfer; each acts only on its own side of it."""
    row = _transfer(kwargs)
    return Tenant(labs=(row.from_lab, row.to_lab)) if row else None


@tenant_lookup("transfer_origin")
def transfer_origin(kwargs: dict) -> Tenant | None:
    row = _transfer(kwargs)
    return Tenant(labs=(row.from_lab,)) if row else None


@tenant_lookup("transfer_destination")
def transfer_destination(kwargs: dict) -> Tenant | None:
    row = _transfer(kwargs)
    return Tenant(labs=(row.to_lab,)) if row else None


@tenant_lookup("audit:lab")
def audited_lab(kwargs: dict) -> Tenant | None:
    row = Lab.objects.filter(pk=kwargs["pk"]).first()
    return Tenant(labs=(row,)) if row else None


@tenant_lookup("audit:capability")
def audited_capability(kwargs: dict) -> Tenant | None:
    row = Capability.objects.select_related("lab").filter(pk=kwargs["pk"]).first()
    return Tenant(labs=(row.lab,)) if row else None


@tenant_lookup("audit:transfer")
def audited_transfer(kwargs: dict) -> Tenant | None:
    return transfer_by_id({"transfer_id": kwargs["pk"]})
