"""Applications and samples: registration, the reception guard, cancellation (receiving and
rejecting a sample also create tests and roll statuses up, so they live in testing.reception)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import Enterprise, User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.hs_code import HsCodeError, hs_code_check
from portlab.core.numbering import format_number, next_numbers
from portlab.core.versioning import save_versioned
from portlab.intake import validation
from portlab.intake.models import Application, ApplicationItem, Sample, Status
from portlab.network.models import Capability, Lab, ProductCategory, TestItem
from portlab.network.selectors import capabilities_for_items
from portlab.workdays.selectors import work_calendar

APPLICATION_PREFIX = "A"
SAMPLE_PREFIX = "S"

# Work that apps above intake do once a filing is committed (transfers keeps the completion
# date predicted at filing). They register here from their AppConfig.ready, so intake never
# imports them; one that fails is logged and never undoes the filing.
REGISTER_FOLLOWERS: list[Callable[[Application], object]] = []


def application_register_follow(follower: Callable[[Application], object]) -> None:
    """Run `follower(application)` after every filing commits, outside its transaction."""
    if follower not in REGISTER_FOLLOWERS:
        REGISTER_FOLLOWERS.append(follower)


def _after_filing(application: Application) -> None:
    for follower in REGISTER_FOLLOWERS:
        def follow(follower=follower) -> None:
            follower(application)

        follow.__qualname__ = getattr(follower, "__qualname__", "follower")  # logged on failure
        transaction.on_commit(follow, robust=True)


@dataclass
class SampleInput:
    description: str
    quantity: str = ""


def _check_identifiers(hs_code: str, declaration_number: str) -> None:
    try:
        hs_code_check(hs_code)
    except HsCodeError as error:
        raise ApplicationError(_("HS code: %s.") % (_(error.template) % error.params),
                               field="hs_code") from error
    if declaration_number:
        try:
            validation.validate_declaration_number(declaration_number)
        except validation.IdentifierError as error:
            raise ApplicationError(
                _("Declaration number must be exactly 18 digits, got “%s”.") % declaration_number,
                field="declaration_number",
            ) from error


def guard_register(*, actor: User, enterprise: Enterprise, lab: Lab) -> None:
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
    actor: User,
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
    _after_filing(application)
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
def samples_add(*, actor: User, application: Application,
                samples: list[SampleInput]) -> list[Sample]:
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


def guard_receive(*, actor: User, obj: Sample) -> None:
    """A reception clerk of the lab receives a submitted sample."""
    _guard_reception(actor, obj, "sample.receive")


def guard_sample_reject(*, actor: User, obj: Sample) -> None:
    """A reception clerk of the lab refuses a submitted sample."""
    _guard_reception(actor, obj, "sample.reject")


def _guard_reception(actor: User, sample: Sample, action: str) -> None:
    access.require(actor, action, lab=sample.application.lab)
    if sample.status != Status.SUBMITTED:
        raise ApplicationError(
            _("Sample %(number)s is %(status)s; only submitted samples can be received.")
            % {"number": sample.number, "status": sample.get_status_display()}
        )


@transaction.atomic
def application_cancel(
    *, actor: User, application: Application, reason: str, expected_version: int | None = None
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


OPEN_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.IN_TESTING, Status.IN_REVIEW)


@transaction.atomic
def application_set_priority(*, actor: User, application: Application, priority: int | str,
                             expected_version: int | None = None) -> Application:
    """Urgent or normal, set by the lab's reception or manager while tests remain to be done:
    the lab's queues (and so every predicted date) put urgent tests first."""
    if not access.may(actor, "application.prioritize", lab=application.lab):
        raise PermissionDenied(_("Only the lab's reception clerks or its manager may set the "
                                 "priority."))
    try:
        chosen = Application.Priority(int(priority))
    except ValueError:
        raise ApplicationError(_("Priority: “%s” is neither normal nor urgent.") % priority,
                               field="priority") from None
    if application.status not in OPEN_STATUSES:
        raise ApplicationError(_("The priority of a finished or withdrawn application cannot "
                                 "change."), field="priority")
    before = application.priority
    application.priority = chosen
    save_versioned(application, expected_version, ["priority"])
    audit_record(actor=actor, action="application_priority", entity=application,
                 before={"priority": before}, after={"priority": int(chosen)})
    return application


def standard_due_date(turnaround_days: int):
    """Today plus the standard turnaround, counted in the network's working days."""
    return work_calendar().add_working_days(timezone.localdate(), turnaround_days).date


def application_check(
    *,
    actor: User,
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
