"""The instrument register: instruments, calibrations, intermediate checks, and fitness for use."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.versioning import save_versioned
from portlab.files.models import RawFile
from portlab.files.services import document_check, rawfile_store
from portlab.instruments.models import (
    Booking,
    Calibration,
    Instrument,
    InstrumentUse,
    IntermediateCheck,
    Telemetry,
)
from portlab.testing.models import Result, Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


def require_lab_staff(actor: User, instrument: Instrument, action: str) -> None:
    """Raise unless the access table lets the actor do `action` at the instrument's lab."""
    if not access.may(actor, action, lab=instrument.lab):
        raise PermissionDenied(
            _("You do not manage instrument %(asset)s at %(lab)s.")
            % {"asset": instrument.asset_number, "lab": instrument.lab.name})


def _check_amounts(value: Decimal, hourly_rate: Decimal) -> None:
    if value < 0:
        raise ApplicationError(_("The instrument's value cannot be negative."), field="value")
    if hourly_rate < 0:
        raise ApplicationError(_("The hourly rate cannot be negative."), field="hourly_rate")


@transaction.atomic
def instrument_register(*, actor: User, lab, asset_number: str, name: str, instrument_type: str,
                        **details) -> Instrument:
    """Add an instrument to a lab's register (lab manager); `details` are model fields."""
    instrument = Instrument(lab=lab, asset_number=asset_number.strip(), name=name.strip(),
                            instrument_type=instrument_type.strip(), **details)
    require_lab_staff(actor, instrument, "instrument.edit")
    for field in ("asset_number", "name", "instrument_type"):
        if not getattr(instrument, field):
            raise ApplicationError(_("This field is required."), field=field)
    if Instrument.objects.filter(asset_number=instrument.asset_number).exists():
        raise ApplicationError(_("Asset number %s is already registered.")
                               % instrument.asset_number, field="asset_number")
    _check_amounts(Decimal(instrument.value), Decimal(instrument.hourly_rate))
    instrument.save(force_insert=True)
    Telemetry.objects.create(instrument=instrument)
    audit_record(actor=actor, action="instrument_register", entity=instrument,
                 after={"asset_number": instrument.asset_number, "lab": lab.code,
                        "status": instrument.status})
    return instrument


def guard_instrument_status_change(*, actor, obj: Instrument) -> None:
    """The lab's manager or quality manager takes an instrument out of or back into service."""
    require_lab_staff(actor, obj, "instrument.status")


@transaction.atomic
def instrument_status_change(*, actor: User, instrument: Instrument, status: str, reason: str,
                             expected_version: int | None = None) -> Instrument:
    guard_instrument_status_change(actor=actor, obj=instrument)
    if status not in Instrument.Status.values:
        raise ApplicationError(_("Unknown instrument status “%s”.") % status, field="status")
    if not reason.strip():
        raise ApplicationError(_("Say why the status changes."), field="reason")
    before = instrument.status
    instrument.status = status
    save_versioned(instrument, expected_version, ["status"])
    audit_record(actor=actor, action="instrument_status", entity=instrument,
                 before={"status": before}, after={"status": status}, reason=reason.strip())
    return instrument


def guard_calibration_record(*, actor, obj: Instrument) -> None:
    """The lab's quality manager or manager records a calibration."""
    require_lab_staff(actor, obj, "instrument.calibrate")


@transaction.atomic
def calibration_record(*, actor: User, instrument: Instrument, date: dt.date,
                       certificate_number: str,
                       provider: str, result: str, due_date: dt.date | None = None,
                       certificate_file=None, certificate_content: bytes | None = None,
                       certificate_name: str = "") -> Calibration:
    """Record a calibration; a failed one takes the instrument out of service. A certificate
    (PDF or image) is kept in the file store under its SHA-256."""
    guard_calibration_record(actor=actor, obj=instrument)
    if result not in Calibration.Outcome.values:
        raise ApplicationError(_("Unknown calibration result “%s”.") % result, field="result")
    if not certificate_number.strip():
        raise ApplicationError(_("Enter the certificate number."), field="certificate_number")
    if date > timezone.localdate():
        raise ApplicationError(_("The calibration date is in the future."), field="date")
    due_date = due_date or date + dt.timedelta(days=instrument.calibration_interval_days)
    if due_date <= date:
        raise ApplicationError(_("The due date must be after the calibration date."),
                               field="due_date")
    certificate = _certificate_store(actor, certificate_content, certificate_name)
    calibration = Calibration.objects.create(
        instrument=instrument, date=date, due_date=due_date, provider=provider.strip(),
        certificate_number=certificate_number.strip(), result=result, recorded_by=actor,
        certificate_file=certificate_file or "", certificate=certificate)
    audit_record(actor=actor, action="calibration_record", entity=calibration,
                 after={"instrument": instrument.asset_number, "date": date.isoformat(),
                        "due_date": due_date.isoformat(), "result": result,
                        "certificate": certificate.sha256 if certificate else None})
    if result == Calibration.Outcome.FAIL and instrument.status == Instrument.Status.IN_SERVICE:
        instrument_status_change(actor=actor, instrument=instrument,
                                 status=Instrument.Status.OUT_OF_SERVICE,
                                 reason=_("Calibration %s failed.")
                                 % calibration.certificate_number)
    return calibration


def _certificate_store(actor: User, content: bytes | None, name: str) -> RawFile | None:
    """A certificate (PDF or image) checked and kept in the file store under its SHA-256."""
    if content is None:
        return None
    content_type = document_check(content=content, name=name, field="certificate")
    return rawfile_store(content=content, name=name, actor=actor, content_type=content_type)


def guard_check_record(*, actor, obj: Instrument) -> None:
    """The lab's bench staff record an intermediate check."""
    require_lab_staff(actor, obj, "instrument.check")


@transaction.atomic
def check_record(*, actor: User, instrument: Instrument, date: dt.date, result: str,
                 note: str = "", certificate_content: bytes | None = None,
                 certificate_name: str = "") -> IntermediateCheck:
    """Record an intermediate check (期间核查), with its certificate or record if uploaded."""
    guard_check_record(actor=actor, obj=instrument)
    if result not in Calibration.Outcome.values:
        raise ApplicationError(_("Unknown check result “%s”.") % result, field="result")
    if date > timezone.localdate():
        raise ApplicationError(_("The check date is in the future."), field="date")
    certificate = _certificate_store(actor, certificate_content, certificate_name)
    check = IntermediateCheck.objects.create(instrument=instrument, date=date, result=result,
                                             note=note.strip()[:200], recorded_by=actor,
                                             certificate=certificate)
    audit_record(actor=actor, action="intermediate_check", entity=check,
                 after={"instrument": instrument.asset_number, "date": date.isoformat(),
                        "result": result,
                        "certificate": certificate.sha256 if certificate else None})
    return check


STATUS_REFUSALS: dict[str, str] = {
    Instrument.Status.RETIRED: gettext_noop("Instrument %(asset)s is retired."),
    Instrument.Status.OUT_OF_SERVICE: gettext_noop("Instrument %(asset)s is out of service."),
    Instrument.Status.UNDER_CALIBRATION: gettext_noop("Instrument %(asset)s is under calibration."),
}


def instrument_usable(instrument: Instrument, at: dt.datetime) -> None:
    """Raise ApplicationError (field "instrument") saying why the instrument may not be used at
    `at`: its status, its calibration, or an approved outside booking."""
    asset = {"asset": instrument.asset_number}
    if instrument.status in STATUS_REFUSALS:
        raise ApplicationError(_(STATUS_REFUSALS[instrument.status]) % asset, field="instrument")
    if instrument.calibration_interval_days:
        _check_calibration(instrument, timezone.localdate(at))
    booking = (Booking.objects.filter(instrument=instrument, status=Booking.Status.APPROVED,
                                      start__lte=at, end__gt=at).first())
    if booking is not None:
        raise ApplicationError(
            _("Instrument %(asset)s is booked by an outside user from %(start)s to %(end)s.")
            % {**asset, "start": _local(booking.start), "end": _local(booking.end)},
            field="instrument")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _check_calibration(instrument: Instrument, day: dt.date) -> None:
    asset = instrument.asset_number
    latest = (Calibration.objects.filter(instrument=instrument, date__lte=day)
              .order_by("-date", "-id").first())
    if latest is None:
        raise ApplicationError(_("Instrument %s has no calibration on record.") % asset,
                               field="instrument")
    if latest.result == Calibration.Outcome.FAIL:
        raise ApplicationError(
            _("Instrument %(asset)s failed its last calibration (%(date)s).")
            % {"asset": asset, "date": latest.date.isoformat()}, field="instrument")
    if latest.due_date < day:
        raise ApplicationError(
            _("Instrument %(asset)s is past its calibration due date (%(due)s).")
            % {"asset": asset, "due": latest.due_date.isoformat()}, field="instrument")


@transaction.atomic
def result_enter_with_instrument(*, actor: User, test: Test, data: ResultInput,
                                 instrument: Instrument, reason: str = "",
                                 expected_version: int | None = None, raw_file=None) -> Result:
    """Enter a test's result measured on `instrument`, refusing an instrument unfit for use."""
    at = timezone.now()
    _check_same_lab(instrument, test)
    instrument_usable(instrument, at)
    result = result_enter(actor=actor, test=test, data=data, reason=reason,
                          expected_version=expected_version, raw_file=raw_file)
    use = InstrumentUse.objects.create(test=test, result=result, instrument=instrument, at=at)
    audit_record(actor=actor, action="instrument_use", entity=use,
                 after={"instrument": instrument.asset_number, "test": test.pk})
    return result


def result_enter_manual(*, actor, test: Test, data: ResultInput, instrument: Instrument | None,
                        reason: str = "", expected_version: int | None = None,
                        raw_file=None) -> Result:
    """Manual result entry (page and API): the instrument gate applies when an instrument is
    named or the capability is measured on one, as it does for file imports. `raw_file` is
    the attachment (files.RawFile) the analyst's value came from."""
    if instrument is not None:
        return result_enter_with_instrument(actor=actor, test=test, data=data,
                                            instrument=instrument, reason=reason,
                                            expected_version=expected_version,
                                            raw_file=raw_file)
    if test.capability.requires_instrument:
        raise ApplicationError(
            _("%(item)s by %(method)s is measured on an instrument: name the instrument used.")
            % {"item": test.test_item.name, "method": test.capability.method.code},
            field="instrument")
    return result_enter(actor=actor, test=test, data=data, reason=reason,
                        expected_version=expected_version, raw_file=raw_file)


def _check_same_lab(instrument: Instrument, test: Test) -> None:
    if instrument.lab_id != test.lab_id:
        raise ApplicationError(
            _("Instrument %(asset)s belongs to another lab than test %(test)s.")
            % {"asset": instrument.asset_number, "test": test.pk}, field="instrument")


def instrument_uses_record(*, entered: list[tuple[Test, Result]], instrument: Instrument,
                           result_file, at: dt.datetime) -> None:
    """Link the results a file import entered to the instrument and the file (one INSERT per
    thousand); the import audits once for the whole file."""
    InstrumentUse.objects.bulk_create(
        (InstrumentUse(test=test, result=result, instrument=instrument, at=at,
                       result_file=result_file) for test, result in entered), batch_size=1000)
