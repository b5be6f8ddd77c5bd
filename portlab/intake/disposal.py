"""Disposal of samples past retention (样品处置): one person proposes it with a method, another
approves it, and the sample with its aliquots is then disposed of. Both steps are audited."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.versioning import save_versioned
from portlab.intake.models import Disposal, Sample


def _check_past_retention(sample: Sample, today: date) -> None:
    if sample.retain_until is None:
        raise ApplicationError(_("Sample %s has no report yet: it is kept until its retention "
                                 "period starts and ends.") % sample.number, field="sample")
    if sample.retain_until >= today:
        raise ApplicationError(_("Sample %(number)s is kept until %(date)s; it cannot be "
                                 "disposed of before.") % {
            "number": sample.number, "date": sample.retain_until.isoformat()}, field="sample")


def guard_disposal_propose(*, actor: User, sample: Sample, today: date) -> None:
    """Staff who may dispose of the lab's samples propose it once the retention has ended."""
    access.require(actor, "sample.dispose", lab=sample.application.lab)
    _check_past_retention(sample, today)
    if Disposal.objects.filter(sample=sample).exists():
        raise ApplicationError(_("The disposal of sample %s is already proposed.")
                               % sample.number, field="sample")


@transaction.atomic
def disposal_propose(*, actor: User, sample: Sample, method: str, note: str = "",
                     today: date | None = None) -> Disposal:
    sample = Sample.objects.select_for_update().select_related("application__lab").get(
        pk=sample.pk)
    guard_disposal_propose(actor=actor, sample=sample, today=today or timezone.localdate())
    if method not in Disposal.Method.values:
        raise ApplicationError(_("Choose how the sample is disposed of."), field="method")
    disposal = Disposal.objects.create(sample=sample, method=method, note=note.strip(),
                                       proposed_by=actor, proposed_at=timezone.now())
    audit_record(actor=actor, action="disposal_propose", entity=sample,
                 after={"method": method, "note": disposal.note})
    return disposal


def guard_disposal_approve(*, actor: User, disposal: Disposal, today: date) -> None:
    """Another person than the proposer approves, while the retention is still over."""
    sample = disposal.sample
    access.require(actor, "sample.dispose", lab=sample.application.lab)
    if disposal.approved_at is not None:
        raise ApplicationError(_("Sample %s is already disposed of.") % sample.number,
                               field="sample")
    if disposal.proposed_by_id == actor.pk:
        raise ApplicationError(_("The disposal must be approved by someone other than "
                                 "%s, who proposed it.") % actor.display_name, field="sample")
    _check_past_retention(sample, today)


@transaction.atomic
def disposal_approve(*, actor: User, sample: Sample, expected_version: int | None,
                     today: date | None = None) -> Disposal:
    disposal = (Disposal.objects.select_for_update()
                .select_related("sample__application__lab").filter(sample=sample).first())
    if disposal is None:
        raise ApplicationError(_("No disposal of sample %s is proposed.") % sample.number,
                               field="sample")
    guard_disposal_approve(actor=actor, disposal=disposal, today=today or timezone.localdate())
    disposal.approved_by, disposal.approved_at = actor, timezone.now()
    save_versioned(disposal, expected_version, ["approved_by", "approved_at"])
    disposed = disposal.sample
    disposed.location, disposed.holder = None, None
    disposed.save(update_fields=["location", "holder"])
    disposed.aliquots.update(location=None, holder=None)
    audit_record(actor=actor, action="disposal_approve", entity=disposed,
                 after={"method": disposal.method, "proposed_by": disposal.proposed_by.username})
    return disposal
