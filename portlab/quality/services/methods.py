"""Methods (§7.2): verification and validation records, withdrawn standards and their alerts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, ConflictError
from portlab.network.models import Capability, Lab, Method, Standard
from portlab.network.placement import capabilities_method_verified
from portlab.quality.models import Alert, MethodValidation
from portlab.quality.services.common import (
    parse_date,
    require_text,
)


@transaction.atomic
def method_validation_record(*, actor: User, method: Method, lab: Lab, kind: str, date: object,
                             summary: str, evidence: str) -> MethodValidation:
    """Record that the lab verified (standard method) or validated (own method) a method."""
    access.require(actor, "method.validate", lab=lab)
    if kind not in MethodValidation.Kind.values:
        raise ApplicationError(_("Unknown kind “%s”: use verification or validation.") % kind,
                               field="kind")
    record = MethodValidation.objects.create(
        method=method, lab=lab, kind=kind, date=parse_date(date, "date"),
        summary=require_text(summary, "summary", _("Summarise the performance checked.")),
        evidence=require_text(evidence, "evidence", _("Name the evidence (report, file).")),
        recorded_by=actor, recorded_at=timezone.now())
    if kind == MethodValidation.Kind.VERIFICATION:
        capabilities_method_verified(lab=lab, method=method, at=record.recorded_at)
    audit_record(actor=actor, action="method_validation_record", entity=record,
                 after={"method": method.code, "kind": kind, "date": str(record.date)})
    return record


def _check_withdrawal(standard: Standard, replaced_by: Standard | None) -> None:
    if standard.status == Standard.Status.WITHDRAWN:
        raise ConflictError(_("Standard %s is already withdrawn.") % standard.code,
                            field="standard")
    if replaced_by is not None and replaced_by.pk == standard.pk:
        raise ApplicationError(_("A standard cannot replace itself."), field="replaced_by")
    if replaced_by is not None and replaced_by.status == Standard.Status.WITHDRAWN:
        raise ApplicationError(_("The replacement %s is itself withdrawn.") % replaced_by.code,
                               field="replaced_by")


def guard_standard_withdraw(*, actor, obj: Standard) -> None:
    """Standards are network-wide definitions: only network roles withdraw them."""
    access.require(actor, "standard.withdraw")


def guard_alert_resolve(*, actor, obj: Alert) -> None:
    """The lab's quality staff, or whoever holds the role the alert names, resolve it."""
    if not access.holds(actor, obj.responsible_role, obj.lab):
        access.require(actor, "quality.record", lab=obj.lab)


@transaction.atomic
def standard_withdraw(*, actor: User, standard: Standard,
                      replaced_by: Standard | None) -> list[Alert]:
    """Mark a standard withdrawn and alert every lab with a capability that uses it."""
    guard_standard_withdraw(actor=actor, obj=standard)
    _check_withdrawal(standard, replaced_by)
    now = timezone.now()
    standard.status, standard.replaced_by = Standard.Status.WITHDRAWN, replaced_by
    standard.withdrawn_at = now
    standard.save(update_fields=["status", "replaced_by", "withdrawn_at"])
    capabilities = (Capability.objects.filter(method__standard=standard)
                    .select_related("lab", "test_item", "method").order_by("lab__code", "id"))
    alerts = Alert.objects.bulk_create(
        Alert(kind=Alert.Kind.STANDARD_WITHDRAWN, lab=c.lab, capability=c, created_at=now,
              subject=f"{c.test_item.code} · {c.method.code}",
              data={"standard": standard.code,
                    "replaced_by": replaced_by.code if replaced_by else ""})
        for c in capabilities)
    audit_record(actor=actor, action="standard_withdraw", entity=standard,
                 before={"status": Standard.Status.CURRENT},
                 after={"status": Standard.Status.WITHDRAWN,
                        "replaced_by": replaced_by.code if replaced_by else None,
                        "alerts": [alert.pk for alert in alerts]})
    return alerts


@transaction.atomic
def alert_resolve(*, actor: User, alert: Alert, note: str) -> Alert:
    """Close an alert, saying what was done."""
    guard_alert_resolve(actor=actor, obj=alert)
    note = require_text(note, "note", _("Say what was done about the alert."))
    if alert.resolved_at is not None:
        raise ApplicationError(_("This alert is already resolved."), field="alert")
    alert.resolved_at, alert.resolved_by = timezone.now(), actor
    alert.save(update_fields=["resolved_at", "resolved_by"])
    audit_record(actor=actor, action="alert_resolve", entity=alert,
                 after={"resolved_at": alert.resolved_at.isoformat()}, reason=note)
    return alert
