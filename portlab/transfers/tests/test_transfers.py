"""Transfers: dispatch under an agreement, custody, receive into the other lab's queue, reject."""

import pytest

from conftest import make_user
from portlab.accounts.models import Role
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, ConflictError, PermissionDenied
from portlab.network.models import Capability
from portlab.testing import services as testing_services
from portlab.testing.models import Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter
from portlab.transfers.models import Transfer
from portlab.transfers.services import (
    results_by_lab,
    transfer_dispatch,
    transfer_in_transit,
    transfer_receive,
    transfer_reject,
)


def dispatch(staff, test, to_lab) -> Transfer:
    return transfer_dispatch(actor=staff["manager"], test=test, to_lab=to_lab,
                             sample_portion="大米 200 g，封条 TJ-0001")


def test_dispatch_takes_the_test_out_of_the_queue(staff, pending_test, beijing_lab,
                                                  agreement) -> None:
    transfer = dispatch(staff, pending_test, beijing_lab)
    test = Test.objects.get(pk=pending_test.pk)
    assert (transfer.status, transfer.agreement, transfer.from_lab.code) == (
        "dispatched", agreement, "TJ-TC")
    assert (test.status, test.lab.code, test.analyst) == ("assigned", "TJ-TC", None)
    assert test.sample.status == "in_testing"
    assert [(e.status, e.place) for e in transfer.custody.all()] == [
        ("dispatched", "Tianjin Customs Technology Center")]
    assert AuditEvent.objects.filter(action="transfer_dispatch").count() == 1


def test_dispatch_without_agreement_is_refused_with_the_reason(staff, pending_test,
                                                                beijing_lab) -> None:
    with pytest.raises(ApplicationError) as error:
        dispatch(staff, pending_test, beijing_lab)
    assert error.value.field == "to_lab"
    assert error.value.message.startswith("No recognition agreement in force on ")
    assert Transfer.objects.count() == 0
    assert Test.objects.get(pk=pending_test.pk).status == "pending"


def test_dispatch_guards(staff, pending_test, beijing_lab, agreement) -> None:
    with pytest.raises(PermissionDenied):
        transfer_dispatch(actor=staff["clerk"], test=pending_test, to_lab=beijing_lab,
                          sample_portion="200 g")
    with pytest.raises(ApplicationError, match="Describe the portion"):
        transfer_dispatch(actor=staff["manager"], test=pending_test, to_lab=beijing_lab,
                          sample_portion=" ")
    with pytest.raises(ConflictError):
        transfer_dispatch(actor=staff["manager"], test=pending_test, to_lab=beijing_lab,
                          sample_portion="200 g", expected_version=99)
    assert Transfer.objects.count() == 0
    pending_test.refresh_from_db()
    assert pending_test.status == "pending"
    dispatch(staff, pending_test, beijing_lab)
    with pytest.raises(ApplicationError, match="only a test waiting for assignment"):
        dispatch(staff, pending_test, beijing_lab)


def test_receive_moves_the_test_to_the_receiving_lab(staff, pending_test, beijing_lab,
                                                     beijing_clerk, agreement) -> None:
    transfer = dispatch(staff, pending_test, beijing_lab)
    transfer_in_transit(actor=staff["clerk"], transfer=transfer, place="顺丰 SF1234567890")
    with pytest.raises(PermissionDenied):
        transfer_receive(actor=staff["clerk"], transfer=transfer)
    transfer_receive(actor=beijing_clerk, transfer=transfer, note="封条完好")
    test = Test.objects.get(pk=pending_test.pk)
    assert (test.status, test.lab, test.capability) == (
        "pending", beijing_lab, Capability.objects.get(lab=beijing_lab))
    assert [(e.status, e.actor.username) for e in transfer.custody.order_by("id")] == [
        ("dispatched", "manager"), ("in_transit", "clerk"), ("received", "bjclerk")]
    with pytest.raises(ApplicationError, match="this step is not possible now"):
        transfer_reject(actor=beijing_clerk, transfer=transfer, reason="late")


def test_reject_needs_a_reason_and_returns_the_test(staff, pending_test, beijing_lab,
                                                    beijing_clerk, agreement) -> None:
    transfer = dispatch(staff, pending_test, beijing_lab)
    with pytest.raises(ApplicationError) as error:
        transfer_reject(actor=beijing_clerk, transfer=transfer, reason="")
    assert error.value.field == "reason"
    transfer_reject(actor=beijing_clerk, transfer=transfer, reason="样品泄漏")
    test = Test.objects.get(pk=pending_test.pk)
    assert (test.status, test.lab.code) == ("pending", "TJ-TC")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.rejection_reason) == ("rejected", "样品泄漏")
    assert test.sample.status == "received"


def test_results_by_lab_names_the_agreement(staff, pending_test, beijing_lab, beijing_clerk,
                                            agreement) -> None:
    transfer = dispatch(staff, pending_test, beijing_lab)
    transfer_receive(actor=beijing_clerk, transfer=transfer)
    manager = make_user("bjmanager", Role.LAB_MANAGER, beijing_lab)
    analyst = make_user("bjanalyst", Role.ANALYST, beijing_lab)
    from portlab.quality.services import authorization_grant

    authorization_grant(actor=manager, user=analyst, lab=beijing_lab, duty="testing",
                        capability=Capability.objects.get(lab=beijing_lab),
                        valid_from="2020-01-01")
    test = Test.objects.get(pk=pending_test.pk)
    testing_services.test_assign(actor=manager, test=test, analyst=analyst)
    result_enter(actor=analyst, test=test, data=ResultInput(kind="numeric", value="0.05"))
    rows = results_by_lab(pending_test.sample.application)
    assert [(r.test_item_code, r.lab.code, r.agreement.code, r.result.value) for r in rows] == [
        ("PB", "BJ-TC", "JJJ-2024-001", 0.05)]


def test_results_at_the_home_lab_have_no_agreement(assigned_test, staff) -> None:
    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.05"))
    rows = results_by_lab(assigned_test.sample.application)
    assert [(r.lab.code, r.agreement) for r in rows] == [("TJ-TC", None)]
