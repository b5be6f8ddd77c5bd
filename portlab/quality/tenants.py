"""Where quality records belong, for the route gate (portlab.accounts.routes)."""

from portlab.accounts.access import Tenant
from portlab.accounts.routes import tenant_lookup
from portlab.quality.models import Alert, Authorization, ControlMaterial, PTRound, QCRun
from portlab.quality.selectors import TRACKED


def _lab_of(model, pk) -> Tenant | None:
    row = model.objects.select_related("lab").filter(pk=pk).first()
    return Tenant(labs=(row.lab,)) if row else None


@tenant_lookup("alert")
def alert_by_id(kwargs: dict) -> Tenant | None:
    return _lab_of(Alert, kwargs["alert_id"])


@tenant_lookup("qc_run")
def qc_run_by_id(kwargs: dict) -> Tenant | None:
    return _lab_of(QCRun, kwargs["run_id"])


@tenant_lookup("audit:qcrun")
def audited_qc_run(kwargs: dict) -> Tenant | None:
    return _lab_of(QCRun, kwargs["pk"])


@tenant_lookup("control_material")
def control_material_by_id(kwargs: dict) -> Tenant | None:
    return _lab_of(ControlMaterial, kwargs["material_id"])


@tenant_lookup("quality_record")
def quality_record(kwargs: dict) -> Tenant | None:
    model = TRACKED.get(kwargs["kind"])
    return _lab_of(model, kwargs["record_id"]) if model else None


@tenant_lookup("pt_round")
def pt_round_by_id(kwargs: dict) -> Tenant | None:
    """A proficiency-testing round belongs to its alliance's labs."""
    row = PTRound.objects.select_related("scheme__alliance__lead_lab").filter(
        pk=kwargs["round_id"]).first()
    if row is None:
        return None
    alliance = row.scheme.alliance
    return Tenant(labs=(alliance.lead_lab, *alliance.members.all()))


@tenant_lookup("authorization")
def authorization_by_id(kwargs: dict) -> Tenant | None:
    return _lab_of(Authorization, kwargs["authorization_id"])
