"""Recognition agreements (结果互认): who accepts whose results, for which items, and when.

An agreement's accepting party (a lab or a whole district) accepts the results of its
performing party (a lab or a district). A test may go to another lab only when that lab holds
the capability for its item, is accredited for it when the application requires it, and an
agreement in force covers it: the test's application lab is on the accepting side, the
target lab on the performing side, and the item is listed (or, for "all accredited
capabilities", the target lab is accredited for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import Capability, District, Lab, RecognitionAgreement, TestItem
from portlab.network.placement import capability_placement_refusal
from portlab.network.selectors import capabilities_for_items

Party = Lab | District


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    """An agreement read once, checked many times (routing asks for every pair of labs)."""

    id: int
    code: str
    accepting_lab_id: int | None
    accepting_district_id: int | None
    performing_lab_id: int | None
    performing_district_id: int | None
    all_accredited: bool
    item_ids: frozenset[int]
    valid_from: date
    valid_to: date

    def covers(self, origin: LabPlace, target: LabPlace, item_id: int, target_accredited: bool,
               on: date) -> bool:
        if not self.valid_from <= on <= self.valid_to:
            return False
        if not _party_holds(self.accepting_lab_id, self.accepting_district_id, origin):
            return False
        if not _party_holds(self.performing_lab_id, self.performing_district_id, target):
            return False
        return target_accredited if self.all_accredited else item_id in self.item_ids


class LabPlace(NamedTuple):
    """A lab as agreements see it: itself and its district."""

    id: int
    district_id: int


def lab_place(lab: Lab) -> LabPlace:
    return LabPlace(lab.id, lab.district_id)


def _party_holds(lab_id: int | None, district_id: int | None, lab: LabPlace) -> bool:
    return lab.id == lab_id if lab_id is not None else lab.district_id == district_id


def agreement_terms(agreement: RecognitionAgreement) -> AgreementTerms:
    return AgreementTerms(
        id=agreement.id, code=agreement.code,
        accepting_lab_id=agreement.accepting_lab_id,
        accepting_district_id=agreement.accepting_district_id,
        performing_lab_id=agreement.performing_lab_id,
        performing_district_id=agreement.performing_district_id,
        all_accredited=agreement.scope == RecognitionAgreement.Scope.ALL_ACCREDITED,
        item_ids=frozenset(item.id for item in agreement.test_items.all()),
        valid_from=agreement.valid_from, valid_to=agreement.valid_to,
    )


def agreements_in_force(on: date) -> list[AgreementTerms]:
    rows = (RecognitionAgreement.objects.filter(valid_from__lte=on, valid_to__gte=on)
            .prefetch_related("test_items").order_by("valid_from", "id"))
    return [agreement_terms(row) for row in rows]


@dataclass(frozen=True, slots=True)
class TransferCheck:
    """May a test go to a lab? If not, why; if so, under which agreement, with which
    capability of the target lab."""

    allowed: bool
    reason: str = ""
    agreement_id: int | None = None
    capability: Capability | None = None


def _local_date(at: datetime | date | None) -> date:
    if at is None:
        return timezone.localdate()
    return timezone.localdate(at) if isinstance(at, datetime) else at


def transfer_allowed(test, target_lab: Lab, at: datetime | date | None = None) -> TransferCheck:
    """Whether `test` may be done by `target_lab` on `at` (default today), with the reason."""
    application = test.sample.application
    item = test.test_item
    if target_lab.id == application.lab_id:
        return TransferCheck(False, _("The test already belongs to %s.") % target_lab.name)
    capability = capabilities_for_items(target_lab, [item.id], False).get(item.id)
    if capability is None:
        return TransferCheck(False, _("%(lab)s holds no capability for %(item)s.")
                             % {"lab": target_lab.name, "item": item.name})
    if refusal := capability_placement_refusal(capability):
        return TransferCheck(False, refusal)
    if application.requires_accreditation and not capability.accredited:
        return TransferCheck(False, _("%(lab)s is not accredited for %(item)s, and the "
                                      "application requires accreditation.")
                             % {"lab": target_lab.name, "item": item.name})
    on = _local_date(at)
    for terms in agreements_in_force(on):
        if terms.covers(lab_place(application.lab), lab_place(target_lab), item.id,
                        capability.accredited, on):
            return TransferCheck(True, agreement_id=terms.id, capability=capability)
    return TransferCheck(False, _("No recognition agreement in force on %(date)s lets "
                                  "%(origin)s accept results of %(lab)s for %(item)s.")
                         % {"date": on.isoformat(), "origin": application.lab.name,
                            "lab": target_lab.name, "item": item.name})


def _may_bind(actor: User, party: Party) -> bool:
    """Whoever the access table lets make agreements for the whole accepting party: its lab,
    or every lab of its district."""
    if isinstance(party, Lab):
        return access.may(actor, "agreement.create", lab=party)
    return access.may_for_district(actor, "agreement.create", party)


def _check_parties(accepting: Party, performing: Party) -> None:
    if type(accepting) is not type(performing):
        raise ApplicationError(
            _("Both parties must be labs, or both districts."), field="performing")
    if accepting.pk == performing.pk:
        raise ApplicationError(
            _("A party cannot sign an agreement with itself."), field="performing")


def _check_terms(scope: str, test_items: list[TestItem], valid_from: date, valid_to: date,
                 document_reference: str) -> None:
    if scope not in RecognitionAgreement.Scope.values:
        raise ApplicationError(_("Unknown scope “%s”.") % scope, field="scope")
    if scope == RecognitionAgreement.Scope.LISTED and not test_items:
        raise ApplicationError(_("List at least one test item, or choose all accredited "
                                 "capabilities."), field="test_items")
    if valid_to < valid_from:
        raise ApplicationError(
            _("valid_to (%(to)s) is before valid_from (%(from)s).")
            % {"to": valid_to.isoformat(), "from": valid_from.isoformat()}, field="valid_to")
    if not document_reference.strip():
        raise ApplicationError(_("Give the reference of the signed agreement document."),
                               field="document_reference")


@transaction.atomic
def agreement_create(
    *, actor: User, code: str, accepting: Party, performing: Party, scope: str,
    test_items: list[TestItem], valid_from: date, valid_to: date, document_reference: str,
) -> RecognitionAgreement:
    """Record a signed recognition agreement (administrator or the accepting lab's manager)."""
    if not _may_bind(actor, accepting):
        raise PermissionDenied(_("Only an administrator or a lab manager of %s may record "
                                 "its agreements.") % accepting.name)
    if not code.strip():
        raise ApplicationError(_("Give the agreement number."), field="code")
    if RecognitionAgreement.objects.filter(code=code.strip()).exists():
        raise ApplicationError(_("Agreement %s exists already.") % code.strip(), field="code")
    _check_parties(accepting, performing)
    _check_terms(scope, test_items, valid_from, valid_to, document_reference)
    side = "lab" if isinstance(accepting, Lab) else "district"
    agreement = RecognitionAgreement.objects.create(
        code=code.strip(), scope=scope, valid_from=valid_from, valid_to=valid_to,
        document_reference=document_reference.strip(), created_by=actor,
        created_at=timezone.now(),
        **{f"accepting_{side}": accepting, f"performing_{side}": performing},
    )
    listed = test_items if scope == RecognitionAgreement.Scope.LISTED else []
    agreement.test_items.set(listed)
    audit_record(actor=actor, action="agreement_create", entity=agreement, after={
        "code": agreement.code, "accepting": accepting.code, "performing": performing.code,
        "scope": scope, "items": sorted(item.code for item in listed),
        "valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat(),
        "document": agreement.document_reference})
    return agreement
