import pytest

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, ConflictError, PermissionDenied
from portlab.intake.models import Status
from portlab.intake.services import application_cancel
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive, sample_reject


def test_receiving_labels_the_sample_and_creates_its_tests(staff, application, lead) -> None:
    sample = application.samples.get()
    sample_receive(actor=staff["clerk"], sample=sample, barcode="TJ-0001")
    sample.refresh_from_db()
    application.refresh_from_db()
    assert (sample.status, sample.barcode, sample.received_by) == ("received", "TJ-0001",
                                                                    staff["clerk"])
    assert application.status == Status.RECEIVED
    test = Test.objects.get(sample=sample)
    assert (test.test_item, test.lab, test.status) == (lead, application.lab, "pending")
    assert test.capability.accredited is True
    assert AuditEvent.objects.filter(action="sample_receive", entity_id=str(sample.pk)).exists()


def test_blank_barcode_uses_the_sample_number(staff, application) -> None:
    sample = application.samples.get()
    sample_receive(actor=staff["clerk"], sample=sample)
    assert sample.barcode == sample.number


def test_only_a_reception_clerk_of_the_lab_receives(staff, application) -> None:
    sample = application.samples.get()
    for user in (staff["analyst"], staff["customer"]):
        with pytest.raises(PermissionDenied, match="Reception clerk"):
            sample_receive(actor=user, sample=sample)
    sample.refresh_from_db()
    assert sample.status == Status.SUBMITTED
    assert Test.objects.count() == 0


def test_rejection_needs_a_reason_and_rejects_the_application(staff, application) -> None:
    sample = application.samples.get()
    with pytest.raises(ApplicationError) as caught:
        sample_reject(actor=staff["clerk"], sample=sample, reason=" ")
    assert caught.value.field == "reason"
    sample_reject(actor=staff["clerk"], sample=sample, reason="包装破损")
    application.refresh_from_db()
    assert (sample.status, application.status) == (Status.REJECTED, Status.REJECTED)
    assert AuditEvent.objects.get(action="sample_reject").reason == "包装破损"
    with pytest.raises(ApplicationError, match="only submitted samples"):
        sample_receive(actor=staff["clerk"], sample=sample)


def test_a_barcode_is_used_once(staff, application) -> None:
    from portlab.intake.services import SampleInput, samples_add

    (second,) = samples_add(actor=staff["customer"], application=application,
                            samples=[SampleInput("第二份")])
    sample_receive(actor=staff["clerk"], sample=application.samples.order_by("id").first(),
                   barcode="B-1")
    with pytest.raises(ApplicationError) as caught:
        sample_receive(actor=staff["clerk"], sample=second, barcode="B-1")
    assert caught.value.field == "barcode"


def test_stale_version_is_a_conflict(staff, application) -> None:
    sample = application.samples.get()
    stale = sample.version
    sample_reject(actor=staff["clerk"], sample=sample, reason="first clerk")
    sample.status = Status.SUBMITTED  # a second clerk still holds the old page
    with pytest.raises(ConflictError, match="changed by someone else"):
        sample_receive(actor=staff["clerk"], sample=sample, expected_version=stale)
    sample.refresh_from_db()
    assert sample.status == Status.REJECTED
    assert Test.objects.count() == 0


def test_enterprise_cancels_before_reception_only(staff, application) -> None:
    with pytest.raises(ApplicationError) as caught:
        application_cancel(actor=staff["customer"], application=application, reason="")
    assert caught.value.field == "reason"
    application_cancel(actor=staff["customer"], application=application, reason="退运")
    assert application.samples.get().status == Status.CANCELLED
    with pytest.raises(ApplicationError, match="not yet received"):
        application_cancel(actor=staff["customer"], application=application, reason="again")
