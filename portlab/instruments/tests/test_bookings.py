import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_user
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, ConflictError, PermissionDenied
from portlab.instruments.models import Booking
from portlab.instruments.selectors import booking_get
from portlab.instruments.services import (
    booking_approve,
    booking_cancel,
    booking_reject,
    booking_request,
    instrument_usable,
)
from portlab.instruments.tests.conftest import register


def slot(days: int = 1, hour: int = 9, hours: float = 2.5) -> tuple[dt.datetime, dt.datetime]:
    day = timezone.localdate() + dt.timedelta(days=days)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return start, start + dt.timedelta(hours=hours)


def book(user, instrument, days: int = 1, hour: int = 9, hours: float = 2.5) -> Booking:
    start, end = slot(days, hour, hours)
    return booking_request(actor=user, instrument=instrument, start=start, end=end,
                           organisation="南开大学化学学院", purpose="Pb isotope ratios")


def test_request_charges_hours_times_rate(outsider, instrument) -> None:
    booking = book(outsider, instrument)
    assert (booking.status, booking.fee) == ("requested", Decimal("1200.00"))
    assert AuditEvent.objects.get(action="booking_request").after["fee"] == "1200.00"


def test_overlapping_request_is_refused(outsider, instrument) -> None:
    book(outsider, instrument, hour=9)
    with pytest.raises(ConflictError) as caught:
        book(make_user("other", "external_user", None), instrument, hour=11)
    start, end = slot(1, 9, 2.5)
    assert caught.value.message == (
        f"Instrument TJ-ICPMS-01 is already booked from {start:%Y-%m-%d %H:%M} "
        f"to {end:%Y-%m-%d %H:%M}.")
    assert Booking.objects.count() == 1


def test_adjacent_slots_do_not_clash(outsider, instrument) -> None:
    book(outsider, instrument, hour=9, hours=2)
    book(outsider, instrument, hour=11, hours=2)
    assert Booking.objects.count() == 2


def test_a_rejected_slot_is_free_again(staff, outsider, instrument) -> None:
    first = book(outsider, instrument)
    booking_reject(actor=staff["manager"], booking=first, note="maintenance that day")
    assert book(outsider, instrument).status == "requested"


@pytest.mark.parametrize(("start_end", "field", "message"), [
    (lambda s, e: (e, s), "end", "The booking must end after it starts."),
    (lambda s, e: (s - dt.timedelta(days=3), e - dt.timedelta(days=3)), "start",
     "The booking starts in the past."),
    (lambda s, e: (s, s + dt.timedelta(minutes=10)), "end",
     "A booking lasts at least 30 minutes."),
    (lambda s, e: (s, s + dt.timedelta(days=15)), "end", "A booking lasts at most 14 days."),
])
def test_bad_slots_are_refused(outsider, instrument, start_end, field, message) -> None:
    start, end = start_end(*slot())
    with pytest.raises(ApplicationError) as caught:
        booking_request(actor=outsider, instrument=instrument, start=start, end=end)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert Booking.objects.count() == 0


def test_only_outside_users_book(staff, instrument) -> None:
    with pytest.raises(PermissionDenied):
        book(staff["analyst"], instrument)


def test_instrument_not_shared_cannot_be_booked(staff, lab, outsider) -> None:
    private = register(staff, lab, "TJ-XRD-01", shareable=False)
    with pytest.raises(ApplicationError) as caught:
        book(outsider, private)
    assert caught.value.message == "Instrument TJ-XRD-01 is not open for booking."


def test_lab_manager_approves_and_the_booking_blocks_internal_use(staff, outsider,
                                                                  instrument) -> None:
    booking = book(outsider, instrument)
    with pytest.raises(PermissionDenied):
        booking_approve(actor=staff["analyst"], booking=booking)
    booking_approve(actor=staff["manager"], booking=booking, expected_version=1)
    instrument_usable(instrument, booking.start - dt.timedelta(minutes=1))
    with pytest.raises(ApplicationError) as caught:
        instrument_usable(instrument, booking.start + dt.timedelta(minutes=30))
    start, end = slot()
    assert caught.value.message == (
        f"Instrument TJ-ICPMS-01 is booked by an outside user from {start:%Y-%m-%d %H:%M} "
        f"to {end:%Y-%m-%d %H:%M}.")


def test_stale_approval_is_a_conflict(staff, outsider, instrument) -> None:
    booking = book(outsider, instrument)
    booking_cancel(actor=outsider, booking=booking_get(outsider, booking.pk))
    with pytest.raises(ApplicationError):
        booking_approve(actor=staff["manager"], booking=booking, expected_version=1)
    assert Booking.objects.get().status == "cancelled"


def test_reject_needs_a_reason(staff, outsider, instrument) -> None:
    booking = book(outsider, instrument)
    with pytest.raises(ApplicationError) as caught:
        booking_reject(actor=staff["manager"], booking=booking, note="")
    assert caught.value.field == "note"


def test_someone_else_cannot_cancel(outsider, instrument) -> None:
    booking = book(outsider, instrument)
    with pytest.raises(PermissionDenied):
        booking_cancel(actor=make_user("other", "external_user", None), booking=booking)


def test_other_outsiders_do_not_see_the_booking(outsider, instrument) -> None:
    from portlab.core.errors import NotFound

    booking = book(outsider, instrument)
    with pytest.raises(NotFound):
        booking_get(make_user("other", "external_user", None), booking.pk)


def test_calendar_page_shows_the_week_and_hides_other_bookers(staff, outsider,
                                                               instrument) -> None:
    book(outsider, instrument)
    other = make_user("other", "external_user", None)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=other.username, password=PASSWORD)
    start, _end = slot()
    page = client.get(f"/instruments/TJ-ICPMS-01/calendar/?week={start:%Y-%m-%d}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="slot requested"' in html and "09:00–11:30" in html
    assert "南开大学" not in html
    client.login(username="manager", password=PASSWORD)
    assert "南开大学" in client.get(
        f"/instruments/TJ-ICPMS-01/calendar/?week={start:%Y-%m-%d}").content.decode()


def test_booking_through_the_page(outsider, instrument) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="outsider", password=PASSWORD)
    start, end = slot()
    response = client.post("/instruments/TJ-ICPMS-01/bookings/", {
        "start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"}, follow=True)
    assert "Booking requested; the lab will confirm it." in response.content.decode()
    bad = client.post("/instruments/TJ-ICPMS-01/bookings/", {"start": "", "end": ""},
                      follow=True)
    assert "Enter a date and time." in bad.content.decode()
    assert Booking.objects.count() == 1


def test_booking_api(outsider, instrument) -> None:
    import json

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="outsider", password=PASSWORD)
    start, end = slot()
    created = client.post("/api/v1/instruments/TJ-ICPMS-01/bookings", json.dumps(
        {"start": start.isoformat(), "end": end.isoformat()}), content_type="application/json")
    assert (created.status_code, created.json()["fee"]) == (201, "1200.00")
    clash = client.post("/api/v1/instruments/TJ-ICPMS-01/bookings", json.dumps(
        {"start": start.isoformat(), "end": end.isoformat()}), content_type="application/json")
    assert (clash.status_code, clash.json()["field"]) == (409, "start")
    shared = client.get("/api/v1/instruments/shared").json()
    assert [i["asset_number"] for i in shared] == ["TJ-ICPMS-01"]
