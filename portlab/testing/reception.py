"""Reception (收样): accepting a sample creates its tests; accepting or rejecting one moves its
application. Both sit above intake because they reach into testing."""

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.versioning import save_versioned
from portlab.intake import notifications
from portlab.intake.models import Condition, Sample, Status
from portlab.intake.services import guard_receive, guard_sample_reject
from portlab.testing.rollup import application_sync_status
from portlab.testing.services import tests_create_for_sample
from portlab.testing.standing import tests_assign_standing


@transaction.atomic
def sample_receive(
    *, actor: User, sample: Sample, barcode: str = "", expected_version: int | None = None,
    condition: str = Condition.INTACT, condition_note: str = "",
) -> Sample:
    """Accept a sample: label it, record its condition on receipt and create one test per
    requested item at the lab, given at once to the capability's standing analyst if any."""
    guard_receive(actor=actor, obj=sample)
    barcode = barcode.strip() or sample.number
    if Sample.objects.filter(barcode=barcode).exclude(pk=sample.pk).exists():
        raise ApplicationError(_("Barcode %s is already on another sample.") % barcode,
                               field="barcode")
    if condition not in Condition.values:
        raise ApplicationError(_("Choose the condition of the sample on receipt."),
                               field="condition")
    sample.status, sample.barcode = Status.RECEIVED, barcode
    sample.received_at, sample.received_by = timezone.now(), actor
    sample.condition, sample.condition_note = condition, condition_note.strip()[:200]
    save_versioned(sample, expected_version, ["status", "barcode", "received_at",
                                              "received_by", "condition", "condition_note"])
    tests_assign_standing(actor=actor, tests=tests_create_for_sample(sample))
    audit_record(actor=actor, action="sample_receive", entity=sample,
                 before={"status": Status.SUBMITTED},
                 after={"status": sample.status, "barcode": barcode, "condition": condition})
    application_sync_status(sample.application, actor=actor)
    transaction.on_commit(partial(notifications.notify_sample_received, sample), robust=True)
    return sample


@transaction.atomic
def sample_reject(
    *, actor: User, sample: Sample, reason: str, expected_version: int | None = None
) -> Sample:
    """Refuse a sample at reception (damaged, insufficient, mislabelled...) with a reason."""
    guard_sample_reject(actor=actor, obj=sample)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for rejecting the sample."), field="reason")
    sample.status, sample.rejection_reason = Status.REJECTED, reason.strip()
    sample.received_at, sample.received_by = timezone.now(), actor
    save_versioned(sample, expected_version,
                   ["status", "rejection_reason", "received_at", "received_by"])
    audit_record(actor=actor, action="sample_reject", entity=sample,
                 before={"status": Status.SUBMITTED}, after={"status": sample.status},
                 reason=sample.rejection_reason)
    application_sync_status(sample.application, actor=actor)
    transaction.on_commit(partial(notifications.notify_sample_rejected, sample), robust=True)
    return sample




@dataclass(frozen=True)
class Refused:
    sample: str
    reason: str


def samples_receive_all(*, actor: User, samples: list[Sample]) -> tuple[list[Sample],
                                                                        list[Refused]]:
    """Receive each sample on its own: one refused (received meanwhile, another lab's) leaves
    the others received, and is returned with its reason."""
    received, refused = [], []
    for sample in samples:
        try:
            received.append(sample_receive(actor=actor, sample=sample,
                                           expected_version=sample.version))
        except ApplicationError as error:
            refused.append(Refused(sample.number, error.message))
    return received, refused
