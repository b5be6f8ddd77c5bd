"""Two outsiders ask for the same slot at the same moment: exactly one gets it (both DBs)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from conftest import make_user
from portlab.core.errors import ConflictError
from portlab.instruments.models import Booking
from portlab.instruments.services import booking_request
from portlab.instruments.tests.test_bookings import slot

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


def test_concurrent_requests_for_one_slot_give_one_booking(instrument) -> None:
    users = [make_user(f"outsider{n}", "external_user", None) for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def attempt(user, offset_minutes: int) -> None:
        start, end = slot(hour=9)
        try:
            barrier.wait()
            booking_request(actor=user, instrument=instrument,
                            start=start.replace(minute=offset_minutes), end=end)
            outcomes.append("booked")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user, 5 * n))
               for n, user in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["booked"] + ["conflict"] * (THREADS - 1)
    assert Booking.objects.filter(status="requested").count() == 1


def test_postgresql_itself_refuses_an_overlap(instrument, outsider) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    start, end = slot()
    fields = {"instrument": instrument, "user": outsider, "fee": 0, "created_at": start}
    Booking.objects.create(start=start, end=end, **fields)
    Booking.objects.create(start=end, end=end + (end - start), **fields)  # adjacent is fine
    Booking.objects.create(start=start, end=end, status="rejected", **fields)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(start=start, end=end, status="approved", **fields)
