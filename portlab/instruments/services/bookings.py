"""Open sharing (仪器开放共享): outside users book time on shared instruments, the lab decides."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, ConflictError, PermissionDenied
from portlab.core.versioning import save_versioned
from portlab.instruments.models import Booking, Instrument
from portlab.instruments.services.registry import require_lab_staff

EXTERNAL_USER = "external_user"
LONGEST_BOOKING = dt.timedelta(days=14)
SHORTEST_BOOKING = dt.timedelta(minutes=30)


def booking_fee(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> Decimal:
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    return (hours * instrument.hourly_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_slot(instrument: Instrument, start: dt.datetime, end: dt.datetime) -> None:
    if not instrument.shareable or instrument.status == Instrument.Status.RETIRED:
        raise ApplicationError(_("Instrument %s is not open for booking.")
                               % instrument.asset_number, field="instrument")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ApplicationError(_("Start and end need a time zone."), field="start")
    if end <= start:
        raise ApplicationError(_("The booking must end after it starts."), field="end")
    if start < timezone.now():
        raise ApplicationError(_("The booking starts in the past."), field="start")
    if end - start < SHORTEST_BOOKING:
        raise ApplicationError(_("A booking lasts at least 30 minutes."), field="end")
    if end - start > LONGEST_BOOKING:
        raise ApplicationError(_("A booking lasts at most 14 days."), field="end")


def _overlap_error(instrument: Instrument, other: Booking | None) -> ConflictError:
    if other is None:
        return ConflictError(_("Instrument %s is already booked at that time.")
                             % instrument.asset_number, field="start")
    return ConflictError(
        _("Instrument %(asset)s is already booked from %(start)s to %(end)s.")
        % {"asset": instrument.asset_number,
           "start": timezone.localtime(other.start).strftime("%Y-%m-%d %H:%M"),
           "end": timezone.localtime(other.end).strftime("%Y-%m-%d %H:%M")}, field="start")


@transaction.atomic
def booking_request(*, actor: User, instrument: Instrument, start: dt.datetime, end: dt.datetime,
                    purpose: str = "", organisation: str = "") -> Booking:
    """Ask for a slot. Requested and approved slots never overlap: the check runs with the
    instrument's row locked (on SQLite, under the IMMEDIATE transaction's write lock), so two
    requests for one instrument queue; on PostgreSQL the exclusion constraint stands behind it.
    (Without the lock, two overlapping inserts at once deadlock on the constraint.)"""
    if not access.may(actor, "booking.request"):
        raise PermissionDenied(_("Only registered outside users book shared instruments."))
    _check_slot(instrument, start, end)
    Instrument.objects.select_for_update().only("pk").get(pk=instrument.pk)
    clash = (Booking.objects.filter(instrument=instrument, status__in=Booking.ACTIVE,
                                    start__lt=end, end__gt=start).order_by("start").first())
    if clash is not None:
        raise _overlap_error(instrument, clash)
    booking = Booking(instrument=instrument, user=actor, start=start, end=end,
                      purpose=purpose.strip()[:300], organisation=organisation.strip()[:200],
                      fee=booking_fee(instrument, start, end), created_at=timezone.now())
    try:
        with transaction.atomic():
            booking.save(force_insert=True)
    except IntegrityError as error:
        raise _overlap_error(instrument, None) from error
    audit_record(actor=actor, action="booking_request", entity=booking,
                 after=_snapshot(booking))
    return booking


def _snapshot(booking: Booking) -> dict:
    return {"instrument": booking.instrument.asset_number, "start": booking.start.isoformat(),
            "end": booking.end.isoformat(), "status": booking.status, "fee": str(booking.fee)}


def _decide(actor: User, booking: Booking, status: str, note: str, expected_version: int | None,
            action: str) -> Booking:
    before = booking.status
    booking.status, booking.decided_by, booking.decision_note = status, actor, note.strip()[:300]
    save_versioned(booking, expected_version, ["status", "decided_by", "decision_note"])
    audit_record(actor=actor, action=action, entity=booking, before={"status": before},
                 after={"status": status}, reason=booking.decision_note)
    return booking


def _require_requested(booking: Booking) -> None:
    if booking.status != Booking.Status.REQUESTED:
        raise ApplicationError(_("This booking is “%s”; it can no longer be decided.")
                               % booking.get_status_display(), field="status")


def guard_booking_approve(*, actor, obj: Booking) -> None:
    """The instrument lab's manager approves a requested slot."""
    require_lab_staff(actor, obj.instrument, "booking.decide")
    _require_requested(obj)


@transaction.atomic
def booking_approve(*, actor: User, booking: Booking, note: str = "",
                    expected_version: int | None = None) -> Booking:
    guard_booking_approve(actor=actor, obj=booking)
    return _decide(actor, booking, Booking.Status.APPROVED, note, expected_version,
                   "booking_approve")


def guard_booking_reject(*, actor, obj: Booking) -> None:
    """The instrument lab's manager refuses a requested slot."""
    require_lab_staff(actor, obj.instrument, "booking.decide")
    _require_requested(obj)


@transaction.atomic
def booking_reject(*, actor: User, booking: Booking, note: str,
                   expected_version: int | None = None) -> Booking:
    guard_booking_reject(actor=actor, obj=booking)
    if not note.strip():
        raise ApplicationError(_("Say why the booking is rejected."), field="note")
    return _decide(actor, booking, Booking.Status.REJECTED, note, expected_version,
                   "booking_reject")


def guard_booking_cancel(*, actor, obj: Booking) -> None:
    """The booker, or the instrument lab's manager, frees a slot."""
    if obj.user_id != actor.pk:
        require_lab_staff(actor, obj.instrument, "booking.decide")


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking, note: str = "",
                   expected_version: int | None = None) -> Booking:
    """The booker, or the lab manager, frees a slot that has not ended yet."""
    guard_booking_cancel(actor=actor, obj=booking)
    if booking.status not in Booking.ACTIVE:
        raise ApplicationError(_("This booking is “%s”; it cannot be cancelled.")
                               % booking.get_status_display(), field="status")
    if booking.end <= timezone.now():
        raise ApplicationError(_("This booking has already ended."), field="status")
    return _decide(actor, booking, Booking.Status.CANCELLED, note, expected_version,
                   "booking_cancel")
