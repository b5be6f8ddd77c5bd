"""Custody inside a lab: storage locations, moves and hand-overs, aliquots, retention. Every
write is audited on the sample's (or location's) lab chain. Disposal: intake.disposal."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.numbering import format_number, next_numbers
from portlab.intake import retention
from portlab.intake.models import (
    Aliquot,
    Disposal,
    RetentionPeriod,
    Sample,
    SampleMove,
    Status,
    StorageLocation,
)
from portlab.network.models import Lab, ProductCategory

# Samples that are in the lab's hands: received and not refused or withdrawn.
HELD_STATUSES = (Status.RECEIVED, Status.IN_TESTING, Status.IN_REVIEW, Status.APPROVED,
                 Status.REPORTED)


def guard_storage_manage(*, actor: User, lab: Lab) -> None:
    """The lab's manager or quality manager defines its storage and retention."""
    access.require(actor, "storage.manage", lab=lab)


@transaction.atomic
def storage_location_create(*, actor: User, lab: Lab, kind: str, name: str,
                            within: StorageLocation | None = None) -> StorageLocation:
    """A new room, fridge, shelf... of the lab, with a code to print as its barcode."""
    guard_storage_manage(actor=actor, lab=lab)
    name = name.strip()
    if kind not in StorageLocation.Kind.values:
        raise ApplicationError(_("Choose the kind of storage location."), field="kind")
    if not name:
        raise ApplicationError(_("Give the storage location a name."), field="name")
    if within is not None and within.lab_id != lab.id:
        raise ApplicationError(_("The enclosing location belongs to another lab."),
                               field="within")
    if StorageLocation.objects.filter(lab=lab, name=name).exists():
        raise ApplicationError(_("The lab already has a storage location named “%s”.") % name,
                               field="name")
    year, (number,) = next_numbers(f"storage:{lab.code}")
    location = StorageLocation.objects.create(
        lab=lab, code=format_number(f"L{lab.code}-", year, number), kind=kind, name=name,
        within=within, created_by=actor, created_at=timezone.now())
    audit_record(actor=actor, action="storage_location_create", entity=location,
                 after={"code": location.code, "kind": kind, "name": name})
    return location


@transaction.atomic
def retention_period_set(*, actor: User, lab: Lab, product_category: ProductCategory | None,
                         days: int | None) -> RetentionPeriod:
    """Set how many days the lab keeps samples of a category (none: its default)."""
    guard_storage_manage(actor=actor, lab=lab)
    if days is None or not 1 <= days <= 3650:
        raise ApplicationError(_("Retention days: a whole number from 1 to 3650."), field="days")
    period, _created = RetentionPeriod.objects.update_or_create(
        lab=lab, product_category=product_category, defaults={"days": days})
    audit_record(actor=actor, action="retention_period_set", entity=lab,
                 after={"category": product_category.code if product_category else "",
                        "days": days})
    return period


def retention_days(lab: Lab, product_category_id: int | None) -> int:
    periods: dict[int | None, int] = dict(RetentionPeriod.objects.filter(lab=lab).values_list(
        "product_category_id", "days"))
    default = periods.get(None, retention.DEFAULT_RETENTION_DAYS)
    return periods.get(product_category_id, default)


def sample_retention_start(*, actor: User, sample: Sample, reported_on: date,
                           failed: bool) -> Sample:
    """Called when the sample's report is issued: from then on it is kept for its category's
    period, and a failed sample at least until the appeal period has ended."""
    application = sample.application
    sample.retain_until = retention.retain_until(
        reported_on=reported_on, failed=failed,
        retention_days=retention_days(application.lab, application.product_category_id))
    Sample.objects.filter(pk=sample.pk).update(retain_until=sample.retain_until)
    audit_record(actor=actor, action="sample_retention_start", entity=sample,
                 after={"retain_until": sample.retain_until.isoformat(), "failed": failed})
    return sample


def _check_held(sample: Sample) -> None:
    if Disposal.objects.filter(sample=sample, approved_at__isnull=False).exists():
        raise ApplicationError(_("Sample %s has been disposed of.") % sample.number,
                               field="scan")
    if sample.status not in HELD_STATUSES:
        raise ApplicationError(_("Sample %(number)s is not in the lab (%(status)s).") % {
            "number": sample.number, "status": sample.get_status_display()}, field="scan")


def guard_sample_move(*, actor: User, sample: Sample) -> None:
    """Lab staff move samples of their own lab that the lab holds and has not disposed of."""
    access.require(actor, "custody.move", lab=sample.application.lab)
    _check_held(sample)


@transaction.atomic
def sample_move(*, actor: User, sample: Sample, aliquot: Aliquot | None = None,
                location: StorageLocation | None = None,
                holder: User | None = None) -> SampleMove:
    """Record a move of the sample (or one aliquot) to a storage location, or its hand-over to
    a person of the lab."""
    sample = Sample.objects.select_for_update().select_related("application__lab").get(
        pk=sample.pk)
    guard_sample_move(actor=actor, sample=sample)
    lab = sample.application.lab
    if (location is None) == (holder is None):
        raise ApplicationError(_("Scan a storage location, or choose the person it is handed "
                                 "to."), field="location")
    if location is not None and location.lab_id != lab.id:
        raise ApplicationError(_("Location %(code)s belongs to another lab, not to %(lab)s.")
                               % {"code": location.code, "lab": lab.name}, field="location")
    if holder is not None and not access.may(holder, "custody.move", lab=lab):
        raise ApplicationError(_("%s does not work in this lab.") % holder.display_name,
                               field="holder")
    item = aliquot or sample
    move = SampleMove.objects.create(
        sample=sample, aliquot=aliquot, from_location=item.location, from_holder=item.holder,
        to_location=location, to_holder=holder, moved_by=actor, moved_at=timezone.now())
    item.location, item.holder = location, holder
    item.save(update_fields=["location", "holder"])
    audit_record(actor=actor, action="sample_move", entity=sample,
                 before={"location": move.from_location.code if move.from_location else "",
                         "holder": move.from_holder.username if move.from_holder else ""},
                 after={"aliquot": aliquot.number if aliquot else "",
                        "location": location.code if location else "",
                        "holder": holder.username if holder else ""})
    return move


@transaction.atomic
def aliquot_create(*, actor: User, sample: Sample, quantity: str,
                   purpose: str = "") -> Aliquot:
    """Take a sub-sample, numbered after its sample (S…-1, S…-2), kept where the sample is."""
    sample = Sample.objects.select_for_update().select_related("application__lab").get(
        pk=sample.pk)
    guard_sample_move(actor=actor, sample=sample)
    if not quantity.strip():
        raise ApplicationError(_("Give the quantity of the aliquot (e.g. 50 g)."),
                               field="quantity")
    number = f"{sample.number}-{sample.aliquots.count() + 1}"
    aliquot = Aliquot.objects.create(
        number=number, sample=sample, quantity=quantity.strip(), purpose=purpose.strip(),
        location=sample.location, holder=sample.holder, created_by=actor,
        created_at=timezone.now())
    audit_record(actor=actor, action="aliquot_create", entity=sample,
                 after={"aliquot": number, "quantity": aliquot.quantity})
    return aliquot
