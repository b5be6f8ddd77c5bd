import pytest

from conftest import make_user
from portlab.accounts.models import Role
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import Capability, Method, Standard
from portlab.quality.models import Alert, Nonconformity
from portlab.quality.services import (
    alert_resolve,
    complaint_receive,
    corrective_action_open,
    internal_audit_plan,
    method_validation_record,
    nonconformity_raise,
    record_close,
    standard_withdraw,
)


@pytest.fixture
def nonconformity(staff, lab, quality_manager) -> Nonconformity:
    return nonconformity_raise(actor=quality_manager, lab=lab, title="Missing signature",
                               owner=staff["analyst"], due_date="2026-04-01")


def test_closing_needs_evidence(staff, nonconformity) -> None:
    with pytest.raises(ApplicationError) as caught:
        record_close(actor=staff["analyst"], record=nonconformity, evidence="  ")
    assert caught.value.field == "closure_evidence"
    nonconformity.refresh_from_db()
    assert nonconformity.status == "open"
    record_close(actor=staff["analyst"], record=nonconformity, evidence="form QR-12 signed")
    nonconformity.refresh_from_db()
    assert (nonconformity.status, nonconformity.closure_evidence) == ("closed",
                                                                      "form QR-12 signed")
    event = AuditEvent.objects.filter(action="nonconformity_close").get()
    assert event.reason == "form QR-12 signed"
    with pytest.raises(ApplicationError):
        record_close(actor=staff["analyst"], record=nonconformity, evidence="again")


def test_open_corrective_actions_keep_the_nonconformity_open(staff, quality_manager,
                                                             nonconformity) -> None:
    action = corrective_action_open(actor=quality_manager, subject=nonconformity,
                                    title="Retrain", owner=staff["reviewer"],
                                    due_date="2026-04-10")
    with pytest.raises(ApplicationError) as caught:
        record_close(actor=quality_manager, record=nonconformity, evidence="done")
    assert caught.value.message == "Close its corrective actions first."
    record_close(actor=staff["reviewer"], record=action, evidence="training record T-3")
    record_close(actor=quality_manager, record=nonconformity, evidence="done")


def test_only_the_owner_or_quality_staff_close(staff, nonconformity) -> None:
    with pytest.raises(PermissionDenied):
        record_close(actor=staff["reviewer"], record=nonconformity, evidence="x")


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"), ({"due_date": "tomorrow"}, "due_date"),
    ({"owner": None}, "owner"), ({"complainant": " "}, "complainant"),
    ({"received_on": ""}, "received_on"),
])
def test_complaint_bad_input(staff, lab, quality_manager, changes, field) -> None:
    arguments = {"actor": quality_manager, "lab": lab, "title": "Late report",
                 "owner": staff["manager"], "due_date": "2026-04-01",
                 "complainant": "Huawei", "received_on": "2026-03-20"} | changes
    with pytest.raises(ApplicationError) as caught:
        complaint_receive(**arguments)
    assert caught.value.field == field


def test_internal_audit_and_its_action(staff, lab, quality_manager) -> None:
    audit = internal_audit_plan(actor=quality_manager, lab=lab, title="Audit 1",
                                owner=quality_manager, due_date="2026-05-01",
                                scope="§7.7, §7.8")
    action = corrective_action_open(actor=quality_manager, subject=audit, title="Fix",
                                    owner=staff["analyst"], due_date="2026-05-20")
    assert (action.audit, action.lab) == (audit, lab)
    with pytest.raises(ApplicationError) as caught:
        corrective_action_open(actor=quality_manager, subject=lab, title="x",
                               owner=staff["analyst"], due_date="2026-05-20")
    assert caught.value.field == "subject"


@pytest.fixture
def network_quality_manager(db):
    """Standards are network-wide definitions: a quality manager of the whole network."""
    return make_user("network_qm", Role.QUALITY_MANAGER, None)


def test_withdrawing_a_standard_alerts_every_capability_that_uses_it(
        staff, lab, other_lab, lead, quality_manager, network_quality_manager) -> None:
    old = Standard.objects.get(code="GB 5009.12-2023")
    Capability.objects.create(lab=other_lab, test_item=lead, method=Method.objects.get(
        standard=old), unit="mg/kg", price=100, turnaround_days=5, daily_capacity=10)
    new = Standard.objects.create(code="GB 5009.12-2026", name_zh="铅")
    alerts = standard_withdraw(actor=network_quality_manager, standard=old, replaced_by=new)
    assert sorted(a.lab.code for a in alerts) == ["TJ-TC", "TJ-XG"]
    old.refresh_from_db()
    assert (old.status, old.replaced_by) == ("withdrawn", new)
    assert alerts[0].message == (
        "Standard GB 5009.12-2023 was withdrawn (replaced by GB 5009.12-2026): re-verify the "
        "method of PB · GB 5009.12-2023 GFAAS and update the capability.")
    with pytest.raises(ApplicationError) as caught:
        standard_withdraw(actor=network_quality_manager, standard=old, replaced_by=new)
    assert caught.value.field == "standard"
    with pytest.raises(ApplicationError) as caught:
        alert_resolve(actor=quality_manager, alert=alerts[0], note="")
    assert caught.value.field == "note"
    alert_resolve(actor=quality_manager, alert=alerts[0], note="verified per 2026 edition")
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 1


def test_withdrawal_checks(staff, lead, network_quality_manager) -> None:
    old = Standard.objects.get(code="GB 5009.12-2023")
    with pytest.raises(ApplicationError) as caught:
        standard_withdraw(actor=network_quality_manager, standard=old, replaced_by=old)
    assert caught.value.field == "replaced_by"
    with pytest.raises(PermissionDenied):
        standard_withdraw(actor=staff["analyst"], standard=old, replaced_by=None)


def test_a_lab_quality_manager_cannot_withdraw_a_standard_network_wide(
        lab, lead, quality_manager) -> None:
    old = Standard.objects.get(code="GB 5009.12-2023")
    with pytest.raises(PermissionDenied) as caught:
        standard_withdraw(actor=quality_manager, standard=old, replaced_by=None)
    assert str(caught.value) == ("You need the role “Lab manager / Quality manager / "
                                 "Administrator” for this.")
    old.refresh_from_db()
    assert old.status == Standard.Status.CURRENT
    assert not Alert.objects.exists()


def test_method_validation_record(staff, lab, lead, quality_manager) -> None:
    method = Method.objects.get(code="GB 5009.12-2023 GFAAS")
    with pytest.raises(ApplicationError) as caught:
        method_validation_record(actor=quality_manager, method=method, lab=lab, kind="guess",
                                 date="2026-01-05", summary="s", evidence="e")
    assert caught.value.field == "kind"
    record = method_validation_record(actor=quality_manager, method=method, lab=lab,
                                      kind="verification", date="2026-01-05",
                                      summary="LOD 0.004 mg/kg, recovery 96 %",
                                      evidence="MV-2026-01")
    assert record.kind == "verification"
