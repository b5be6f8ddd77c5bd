"""Where transfers belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.transfers.models import Transfer


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


@tenant_lookup("audit:transfer")
def audited_transfer(kwargs: dict) -> Tenant | None:
    return transfer_by_id({"transfer_id": kwargs["pk"]})
