"""Transfers (分包/转检): a test done by another lab of the network under an agreement.

While a transfer is open the test is "assigned" with no analyst: it leaves every lab's
assignment queue and its sample counts as in testing. When the receiving lab's reception
clerk receives the portion, the test moves to that lab (with that lab's capability for the
item) and waits there, pending, for an analyst; its result then flows back through the same
Test row. A rejected portion sends the test back to its origin lab, pending.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.versioning import save_versioned
from portlab.network.agreements import transfer_allowed
from portlab.network.models import Lab, RecognitionAgreement
from portlab.network.placement import capability_placement_require
from portlab.network.selectors import capabilities_for_items
from portlab.testing.models import Test
from portlab.testing.rollup import sample_sync_status
from portlab.transfers.models import CustodyEvent, Transfer

OPEN = (Transfer.Status.DISPATCHED, Transfer.Status.IN_TRANSIT)


def _test_model():
    return Test


def _sync_sample(test, actor: User) -> None:
    sample_sync_status(test.sample, actor=actor)


def _custody(transfer: Transfer, actor: User, place: str, note: str = "") -> CustodyEvent:
    return CustodyEvent.objects.create(transfer=transfer, status=transfer.status, actor=actor,
                                       at=timezone.now(), place=place, note=note.strip())


def _move_test(test, actor: User, action: str, changes: dict, reason: str = "",
               expected_version: int | None = None) -> None:
    before = {"status": test.status, "lab": test.lab.code}
    for name, value in changes.items():
        setattr(test, name, value)
    save_versioned(test, expected_version, list(changes))
    audit_record(actor=actor, action=action, entity=test, before=before,
                 after={"status": test.status, "lab": test.lab.code}, reason=reason)
    _sync_sample(test, actor)


def guard_dispatch(*, actor: User, obj, to_lab: Lab):
    """The origin lab's manager sends a pending test of its own applications, once."""
    test = obj
    access.require(actor, "transfer.dispatch", lab=test.lab)
    Test = _test_model()
    if test.status != Test.Status.PENDING:
        raise ApplicationError(
            _("Test %(id)s is “%(status)s”; only a test waiting for assignment can be "
              "transferred.") % {"id": test.pk, "status": test.get_status_display()})
    if test.lab_id != test.sample.application.lab_id:
        raise ApplicationError(_("Test %s was transferred to this lab; it is not transferred "
                                 "again.") % test.pk)
    check = transfer_allowed(test, to_lab)
    if not check.allowed:
        raise ApplicationError(check.reason, field="to_lab")
    return check


@transaction.atomic
def transfer_dispatch(*, actor: User, test, to_lab: Lab, sample_portion: str, note: str = "",
                      expected_version: int | None = None) -> Transfer:
    """Send a pending test, with a portion of its sample, to a lab an agreement covers."""
    if not sample_portion.strip():
        raise ApplicationError(_("Describe the portion of the sample that is sent."),
                               field="sample_portion")
    check = guard_dispatch(actor=actor, obj=test, to_lab=to_lab)
    from_lab = test.lab
    transfer = Transfer.objects.create(
        test=test, from_lab=from_lab, to_lab=to_lab, agreement_id=check.agreement_id,
        sample_portion=sample_portion.strip(), dispatched_at=timezone.now())
    _custody(transfer, actor, from_lab.name, note)
    _move_test(test, actor, "test_transfer_dispatch",
               {"status": _test_model().Status.ASSIGNED, "analyst": None},
               expected_version=expected_version)
    audit_record(actor=actor, action="transfer_dispatch", entity=transfer, after={
        "test": test.pk, "from": from_lab.code, "to": to_lab.code,
        "agreement": transfer.agreement.code, "portion": transfer.sample_portion})
    return transfer


def _require_open(transfer: Transfer) -> None:
    if transfer.status not in OPEN:
        raise ApplicationError(_("Transfer %(id)s is “%(status)s”; this step is not possible "
                                 "now.") % {"id": transfer.pk,
                                            "status": transfer.get_status_display()})


def guard_transfer_receive(*, actor: User, obj: Transfer) -> None:
    """The receiving lab's reception clerks accept an open portion."""
    access.require(actor, "transfer.receive", lab=obj.to_lab)
    _require_open(obj)


def guard_transfer_reject(*, actor: User, obj: Transfer) -> None:
    """The receiving lab's reception clerks refuse an open portion."""
    access.require(actor, "transfer.receive", lab=obj.to_lab)
    _require_open(obj)


def _transition(transfer: Transfer, actor: User, status: str, expected_version: int | None,
                place: str, note: str = "", fields: tuple[str, ...] = ()) -> None:
    before = transfer.status
    transfer.status = status
    save_versioned(transfer, expected_version, ["status", *fields])
    _custody(transfer, actor, place, note)
    audit_record(actor=actor, action=f"transfer_{status}", entity=transfer,
                 before={"status": before}, after={"status": status}, reason=note.strip())


@transaction.atomic
def transfer_in_transit(*, actor: User, transfer: Transfer, place: str, note: str = "",
                        expected_version: int | None = None) -> Transfer:
    """The portion has left the origin lab (courier, seal number in the note)."""
    guard_transfer_in_transit(actor=actor, obj=transfer)
    if not place.strip():
        raise ApplicationError(_("Say where the portion is (carrier, place)."), field="place")
    _transition(transfer, actor, Transfer.Status.IN_TRANSIT, expected_version, place.strip(),
                note)
    return transfer


def guard_transfer_in_transit(*, actor, obj: Transfer) -> None:
    """The origin lab's manager or reception clerks hand over a dispatched portion."""
    transfer = obj
    access.require(actor, "transfer.send", lab=transfer.from_lab)
    if transfer.status != Transfer.Status.DISPATCHED:
        raise ApplicationError(_("Transfer %(id)s is “%(status)s”; only a dispatched portion "
                                 "can be handed over.")
                               % {"id": transfer.pk, "status": transfer.get_status_display()})


@transaction.atomic
def transfer_receive(*, actor: User, transfer: Transfer, note: str = "",
                     expected_version: int | None = None) -> Transfer:
    """The receiving lab's reception clerk accepts the portion: the test becomes its own."""
    guard_transfer_receive(actor=actor, obj=transfer)
    test = transfer.test
    item_id = test.test_item_id
    required = test.sample.application.requires_accreditation
    capability = capabilities_for_items(transfer.to_lab, [item_id], required).get(item_id)
    if capability is None:
        raise ApplicationError(_("%(lab)s no longer holds the capability for %(item)s; reject "
                                 "the portion instead.")
                               % {"lab": transfer.to_lab.name, "item": test.test_item.name})
    capability_placement_require(capability, field="transfer")
    _transition(transfer, actor, Transfer.Status.RECEIVED, expected_version,
                transfer.to_lab.name, note)
    _move_test(test, actor, "test_transfer_receive", {
        "lab": transfer.to_lab, "capability": capability,
        "status": _test_model().Status.PENDING, "analyst": None})
    return transfer


@transaction.atomic
def transfer_reject(*, actor: User, transfer: Transfer, reason: str,
                    expected_version: int | None = None) -> Transfer:
    """The receiving lab refuses the portion (damaged, insufficient): the test goes back."""
    guard_transfer_reject(actor=actor, obj=transfer)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for rejecting the portion."), field="reason")
    transfer.rejection_reason = reason.strip()
    _transition(transfer, actor, Transfer.Status.REJECTED, expected_version,
                transfer.to_lab.name, reason, fields=("rejection_reason",))
    _move_test(transfer.test, actor, "test_transfer_return",
               {"lab": transfer.from_lab, "status": _test_model().Status.PENDING,
                "analyst": None}, reason=reason.strip())
    return transfer


@dataclass(frozen=True, slots=True)
class ResultSource:
    """Which lab produced a result, and under which agreement (None: the application's lab)."""

    sample_number: str
    test_id: int
    test_item_code: str
    lab: Lab
    agreement: RecognitionAgreement | None
    result: object  # testing.Result


def results_by_lab(application) -> list[ResultSource]:
    """Every result of the application with the lab that produced it, for the report."""
    Test = _test_model()
    tests = (Test.objects.filter(sample__application=application, result__isnull=False)
             .exclude(status__in=[Test.Status.RETRACTED, Test.Status.CANCELLED])
             .select_related("sample", "test_item", "lab", "result", "retest_of")
             .order_by("sample__number", "test_item__code", "id"))
    received = {t.test_id: t.agreement for t in Transfer.objects.filter(
        test__sample__application=application, status=Transfer.Status.RECEIVED,
    ).select_related("agreement")}
    rows = []
    for test in tests:
        original = test
        while original.id not in received and original.retest_of_id is not None:
            original = original.retest_of
        agreement = received.get(original.id) if test.lab_id != application.lab_id else None
        rows.append(ResultSource(test.sample.number, test.id, test.test_item.code, test.lab,
                                 agreement, test.result))
    return rows
