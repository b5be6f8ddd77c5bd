"""Labs never wait on each other: lab B's audited write completes while a transaction of lab A
holding an audited write stays open (PostgreSQL: row locks on each chain's head).

On SQLite, the embedded single-writer default, one writer holds the whole database until it
commits, so writers queue by design and there is nothing per lab to show.
"""

import threading

import pytest
from django.db import connection, transaction

from portlab.audit.models import AuditEvent
from portlab.audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)
SAFETY_SECONDS = 60  # only so a broken run ends; no assertion depends on time


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: writers queue by design")


def open_writer(lab, holding: threading.Event, release: threading.Event,
                errors: list) -> threading.Thread:
    """A transaction that writes one audited event on the lab, then stays open until told."""
    def run() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action="hold", entity=lab)
                holding.set()
                release.wait(SAFETY_SECONDS)
        except Exception as error:  # noqa: BLE001 - reported by the test thread
            errors.append(error)
        finally:
            connection.close()
    return threading.Thread(target=run)


def test_lab_b_writes_while_lab_a_holds_its_chain(lab, other_lab) -> None:
    a_holding, a_release, b_done, errors = (threading.Event(), threading.Event(),
                                            threading.Event(), [])
    writer_a = open_writer(lab, a_holding, a_release, errors)
    writer_a.start()
    assert a_holding.wait(SAFETY_SECONDS)

    def write_b() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action="write", entity=other_lab)
            b_done.set()
        finally:
            connection.close()

    writer_b = threading.Thread(target=write_b)
    writer_b.start()
    finished_while_a_open = b_done.wait(SAFETY_SECONDS)
    a_still_open = writer_a.is_alive()
    a_release.set()
    writer_a.join(SAFETY_SECONDS)
    writer_b.join(SAFETY_SECONDS)
    assert (finished_while_a_open, a_still_open, errors) == (True, True, [])
    assert list(AuditEvent.objects.order_by("id").values_list("action", "chain__key")) == [
        ("hold", f"lab:{lab.pk}"), ("write", f"lab:{other_lab.pk}")]


def waiting_on_a_lock(backend_pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                       [backend_pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_a_second_writer_of_the_same_lab_waits_for_the_first(lab) -> None:
    a_holding, a_release, errors = threading.Event(), threading.Event(), []
    writer_a = open_writer(lab, a_holding, a_release, errors)
    writer_a.start()
    assert a_holding.wait(SAFETY_SECONDS)
    second_pid, second_done = [], threading.Event()

    def write_same_lab() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    second_pid.append(cursor.fetchone()[0])
                audit_record(actor=None, action="after", entity=lab)
            second_done.set()
        finally:
            connection.close()

    second = threading.Thread(target=write_same_lab)
    second.start()
    seen_waiting = False
    while not seen_waiting and not second_done.wait(0.01) and second.is_alive():
        seen_waiting = bool(second_pid) and waiting_on_a_lock(second_pid[0])
    a_release.set()
    writer_a.join(SAFETY_SECONDS)
    second.join(SAFETY_SECONDS)
    assert (seen_waiting, second_done.is_set(), errors) == (True, True, [])
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", "sequence")) == [
        ("hold", 1), ("after", 2)]
