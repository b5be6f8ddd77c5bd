"""Applications and samples: registration, reception, rejection, cancellation."""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import Enterprise
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.numbering import format_number, next_numbers
from portlab.core.versioning import save_versioned
from portlab.intake import notifications, validation
from portlab.intake.models import Application, ApplicationItem, Sample, Status
from portlab.network.models import Capability, Lab, ProductCategory, TestItem
from portlab.network.selectors import capabilities_for_items

APPLICATION_PREFIX = "A"
SAMPLE_PREFIX = "S"


@dataclass
class SampleInput:
    description: str
    quantity: str = ""


def _check_identifiers(hs_code: str, declaration_number: str) -> None:
    try:
        validation.validate_hs_code(hs_code)
    except validation.IdentifierError as error:
        raise ApplicationError(_("HS code: %s") % _hs_message(hs_code), field="hs_code") from error
    if declaration_number:
        try:
            validation.validate_declaration_number(declaration_number)
        except validation.IdentifierError as error:
            raise ApplicationError(
                _("Declaration number must be exactly 18 digits, got “%s”.") % declaration_number,
                field="declaration_number",
            ) from error


def _hs_message(hs_code: str) -> str:
    if not validation.HS_CODE.fullmatch(hs_code):
        return _("must be exactly 10 digits, got “%s”.") % hs_code
    return _("chapter %s does not exist (chapters are 01-97).") % hs_code[:2]


def guard_register(*, actor, enterprise: Enterprise, lab: Lab) -> None:
    """The enterprise's own users, or the lab's reception clerks, file an application."""
    if access.may(actor, "application.register", lab=lab, enterprise_id=enterprise.id):
        return
    raise PermissionDenied(
        _("Only the enterprise's own users or the lab's reception clerks may file this.")
    )


def guard_application_cancel(*, actor, obj: Application) -> None:
    """Whoever may file the application withdraws it, before any sample is received."""
    if not access.may(actor, "application.cancel", lab=obj.lab,
                      enterprise_id=obj.enterprise_id):
        raise PermissionDenied(
            _("Only the enterprise's own users or the lab's reception clerks may cancel this."))
    if obj.status != Status.SUBMITTED:
        raise ApplicationError(_("Only an application not yet received can be cancelled."))


def _choose_capabilities(
    lab: Lab, test_item_ids: list[int], requires_accreditation: bool
) -> dict[int, Capability]:
    if not test_item_ids:
        raise ApplicationError(_("Choose at least one test item."), field="test_items")
    if len(set(test_item_ids)) != len(test_item_ids):
        raise ApplicationError(_("A test item is listed twice."), field="test_items")
    chosen = capabilities_for_items(lab, test_item_ids, requires_accreditation)
    missing = [item_id for item_id in test_item_ids if item_id not in chosen]
    if missing:
        codes = ", ".join(TestItem.objects.filter(id__in=missing).values_list("code", flat=True))
        message = (_("%(lab)s holds no accredited capability for test item(s) %(items)s.")
                   if requires_accreditation
                   else _("%(lab)s holds no capability for test item(s) %(items)s."))
        raise ApplicationError(message % {"lab": lab.name, "items": codes}, field="test_items")
    return chosen


@transaction.atomic
def application_register(
    *,
    actor,
    enterprise: Enterprise,
    lab: Lab,
    goods_description: str,
    hs_code: str,
    purpose: str,
    test_item_ids: list[int],
    samples: list[SampleInput],
    declaration_number: str = "",
    product_category: ProductCategory | None = None,
    requires_accreditation: bool = True,
    decision_rule: str = "",
) -> Application:
    """File an application with its requested test items and samples (status: submitted)."""
    guard_register(actor=actor, enterprise=enterprise, lab=lab)
    _check_identifiers(hs_code, declaration_number)
    if not goods_description.strip():
        raise ApplicationError(_("Describe the goods."), field="goods_description")
    if purpose not in Application.Purpose.values:
        raise ApplicationError(_("Unknown purpose “%s”.") % purpose, field="purpose")
    if not samples:
        raise ApplicationError(_("Add at least one sample."), field="samples")
    _choose_capabilities(lab, test_item_ids, requires_accreditation)
    year, (number,) = next_numbers("application")
    application = Application.objects.create(
        number=format_number(APPLICATION_PREFIX, year, number),
        enterprise=enterprise, lab=lab, goods_description=goods_description.strip(),
        hs_code=hs_code, declaration_number=declaration_number, purpose=purpose,
        product_category=product_category, requires_accreditation=requires_accreditation,
        decision_rule=decision_rule, submitted_by=actor, submitted_at=timezone.now(),
    )
    ApplicationItem.objects.bulk_create(
        ApplicationItem(application=application, test_item_id=item_id)
        for item_id in test_item_ids
    )
    _create_samples(application, samples)
    audit_record(
        actor=actor, action="application_register", entity=application,
        after={"number": application.number, "items": len(test_item_ids),
               "samples": len(samples), "status": application.status},
    )
    return application


def _create_samples(application: Application, samples: list[SampleInput]) -> list[Sample]:
    for position, sample in enumerate(samples, start=1):
        if not sample.description.strip():
            raise ApplicationError(
                _("Sample %d: describe the sample.") % position, field=f"samples[{position}]"
            )
    year, numbers = next_numbers("sample", len(samples))
    return Sample.objects.bulk_create(
        Sample(
            application=application, number=format_number(SAMPLE_PREFIX, year, number),
            description=sample.description.strip(), quantity=sample.quantity.strip(),
        )
        for sample, number in zip(samples, numbers, strict=True)
    )


@transaction.atomic
def samples_add(*, actor, application: Application, samples: list[SampleInput]) -> list[Sample]:
    """Add samples to an application that the lab has not yet started on."""
    guard_register(actor=actor, enterprise=application.enterprise, lab=application.lab)
    if application.status not in (Status.SUBMITTED, Status.RECEIVED):
        raise ApplicationError(_("Samples can no longer be added to this application."))
    created = _create_samples(application, samples)
    audit_record(
        actor=actor, action="samples_add", entity=application,
        after={"samples": [s.description for s in samples]},
    )
    return created


def guard_receive(*, actor, obj: Sample) -> None:
    """A reception clerk of the lab receives a submitted sample."""
    _guard_reception(actor, obj, "sample.receive")


def guard_sample_reject(*, actor, obj: Sample) -> None:
    """A reception clerk of the lab refuses a submitted sample."""
    _guard_reception(actor, obj, "sample.reject")


def _guard_reception(actor, sample: Sample, action: str) -> None:
    access.require(actor, action, lab=sample.application.lab)
    if sample.status != Status.SUBMITTED:
        raise ApplicationError(
            _("Sample %(number)s is %(status)s; only submitted samples can be received.")
            % {"number": sample.number, "status": sample.get_status_display()}
        )


@transaction.atomic
def sample_receive(
    *, actor, sample: Sample, barcode: str = "", expected_version: int | None = None
) -> Sample:
    """Accept a sample: label it and create one test per requested item at the lab."""
    from portlab.testing.services import tests_create_for_sample

    guard_receive(actor=actor, obj=sample)
    barcode = barcode.strip() or sample.number
    if Sample.objects.filter(barcode=barcode).exclude(pk=sample.pk).exists():
        raise ApplicationError(_("Barcode %s is already on another sample.") % barcode,
                               field="barcode")
    sample.status, sample.barcode = Status.RECEIVED, barcode
    sample.received_at, sample.received_by = timezone.now(), actor
    save_versioned(sample, expected_version,
                   ["status", "barcode", "received_at", "received_by"])
    tests_create_for_sample(sample)
    audit_record(actor=actor, action="sample_receive", entity=sample,
                 before={"status": Status.SUBMITTED},
                 after={"status": sample.status, "barcode": barcode})
    application_sync_status(sample.application, actor=actor)
    transaction.on_commit(partial(notifications.notify_sample_received, sample), robust=True)
    return sample


@transaction.atomic
def sample_reject(
    *, actor, sample: Sample, reason: str, expected_version: int | None = None
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


@transaction.atomic
def application_cancel(
    *, actor, application: Application, reason: str, expected_version: int | None = None
) -> Application:
    """Withdraw an application before any of its samples has been received."""
    guard_application_cancel(actor=actor, obj=application)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for cancelling."), field="reason")
    application.status = Status.CANCELLED
    save_versioned(application, expected_version, ["status"])
    application.samples.update(status=Status.CANCELLED)
    audit_record(actor=actor, action="application_cancel", entity=application,
                 before={"status": Status.SUBMITTED}, after={"status": Status.CANCELLED},
                 reason=reason.strip())
    return application


# Order in which an application's status follows the least advanced of its live samples.
PROGRESS = [Status.SUBMITTED, Status.RECEIVED, Status.IN_TESTING, Status.IN_REVIEW,
            Status.APPROVED, Status.REPORTED]


def derived_status(sample_statuses: list[str]) -> str:
    live = [s for s in sample_statuses if s not in (Status.REJECTED, Status.CANCELLED)]
    if not live:
        return Status.REJECTED if Status.REJECTED in sample_statuses else Status.CANCELLED
    return min(live, key=PROGRESS.index)


def application_sync_status(application: Application, *, actor) -> None:
    """Move the application to the status its samples have reached, and audit the change."""
    application.refresh_from_db(fields=["status", "version"])
    statuses = list(application.samples.values_list("status", flat=True))
    new_status = derived_status(statuses)
    if new_status == application.status:
        return
    before = application.status
    application.status = new_status
    save_versioned(application, None, ["status"])
    audit_record(actor=actor, action="application_status", entity=application,
                 before={"status": before}, after={"status": new_status})


def standard_due_date(turnaround_days: int):
    return timezone.localdate() + timedelta(days=turnaround_days)


def application_check(
    *,
    actor,
    enterprise: Enterprise,
    lab: Lab,
    goods_description: str,
    hs_code: str,
    purpose: str,
    test_item_ids: list[int],
    samples: list[SampleInput],
    declaration_number: str = "",
    product_category: ProductCategory | None = None,
    requires_accreditation: bool = True,
    decision_rule: str = "",
) -> None:
    """Every check application_register makes, in the same order, without writing anything:
    the guided form shows price and date only for an application that would be accepted."""
    guard_register(actor=actor, enterprise=enterprise, lab=lab)
    _check_identifiers(hs_code, declaration_number)
    if not goods_description.strip():
        raise ApplicationError(_("Describe the goods."), field="goods_description")
    if purpose not in Application.Purpose.values:
        raise ApplicationError(_("Unknown purpose “%s”.") % purpose, field="purpose")
    if not samples:
        raise ApplicationError(_("Add at least one sample."), field="samples")
    _choose_capabilities(lab, test_item_ids, requires_accreditation)
    for position, sample in enumerate(samples, start=1):
        if not sample.description.strip():
            raise ApplicationError(
                _("Sample %d: describe the sample.") % position, field=f"samples[{position}]"
            )
