"""Accreditation of capabilities: the lab's quality manager records the CNAS scope entries and
accredits the capabilities they cover; nobody else declares a capability accredited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.network.models import AccreditationScopeEntry, Capability, Lab, Method, TestItem


def scope_covers(lab_id: int, test_item_id: int, method_id: int) -> bool:
    return AccreditationScopeEntry.objects.filter(
        lab_id=lab_id, test_item_id=test_item_id, method_id=method_id).exists()


def covered_keys(lab_ids: set[int]) -> set[tuple[int, int, int]]:
    """(lab, test item, method) of every scope entry of these labs, for checking a file."""
    return set(AccreditationScopeEntry.objects.filter(lab_id__in=lab_ids)
               .values_list("lab_id", "test_item_id", "method_id"))


def guard_accreditation_scope_record(*, actor, obj: Lab) -> None:
    """Only the lab's own quality manager records its accreditation scope."""
    access.require(actor, "accreditation_scope.record", lab=obj)


@transaction.atomic
def accreditation_scope_record(*, actor, lab: Lab, test_item: TestItem, method: Method,
                               reference: str) -> AccreditationScopeEntry:
    """Record one line of the lab's CNAS scope (reference: certificate and scope line)."""
    guard_accreditation_scope_record(actor=actor, obj=lab)
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(_("Give the CNAS scope reference (certificate and line)."),
                               field="reference")
    entry, _created = AccreditationScopeEntry.objects.update_or_create(
        lab=lab, test_item=test_item, method=method,
        defaults={"reference": reference, "recorded_by": actor, "recorded_at": timezone.now()})
    audit_record(actor=actor, action="accreditation_scope_record", entity=lab,
                 after={"test_item": test_item.code, "method": method.code,
                        "reference": reference})
    return entry


def guard_capability_accredit(*, actor, obj: Capability) -> None:
    """The lab's quality manager accredits a capability its CNAS scope covers."""
    access.require(actor, "capability.accredit", lab=obj.lab)
    if not scope_covers(obj.lab_id, obj.test_item_id, obj.method_id):
        raise ApplicationError(
            _("%(item)s by %(method)s is not in the CNAS accreditation scope of %(lab)s: record "
              "the scope entry first.") % {"item": obj.test_item.name, "method": obj.method.code,
                                            "lab": obj.lab.name}, field="accredited")


@transaction.atomic
def capability_accredit(*, actor, capability: Capability) -> Capability:
    guard_capability_accredit(actor=actor, obj=capability)
    if not capability.accredited:
        capability.accredited = True
        capability.save(update_fields=["accredited"])
        audit_record(actor=actor, action="capability_accredit", entity=capability,
                     before={"accredited": False}, after={"accredited": True})
    return capability
