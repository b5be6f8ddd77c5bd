"""Custody inside the lab: storage locations, moves and hand-overs by scanning, aliquots."""

from datetime import date

import pytest

from conftest import make_user
from portlab.accounts.models import Role
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, NotFound, PermissionDenied
from portlab.intake import custody, custody_selectors
from portlab.intake.models import Aliquot, Sample, SampleMove, StorageLocation
from portlab.testing.reception import sample_receive


@pytest.fixture
def received(staff, application) -> Sample:
    return sample_receive(actor=staff["clerk"], sample=application.samples.get(),
                          condition="damaged", condition_note="外袋破损")


@pytest.fixture
def fridge(staff, lab) -> StorageLocation:
    return custody.storage_location_create(actor=staff["manager"], lab=lab, kind="fridge",
                                           name="留样冰箱 1")


@pytest.fixture
def other_fridge(other_lab) -> StorageLocation:
    manager = make_user("other_manager", Role.LAB_MANAGER, other_lab)
    return custody.storage_location_create(actor=manager, lab=other_lab, kind="fridge",
                                           name="冰箱 A")


def test_condition_on_receipt_is_recorded_and_audited(received) -> None:
    received.refresh_from_db()
    assert (received.condition, received.condition_note) == ("damaged", "外袋破损")
    event = AuditEvent.objects.get(action="sample_receive")
    assert event.after["condition"] == "damaged"


def test_unknown_condition_is_refused_and_nothing_is_received(staff, application) -> None:
    sample = application.samples.get()
    with pytest.raises(ApplicationError) as error:
        sample_receive(actor=staff["clerk"], sample=sample, condition="wet")
    assert error.value.field == "condition"
    sample.refresh_from_db()
    assert sample.status == "submitted" and sample.condition == ""


def test_location_gets_a_code_of_its_lab(fridge, lab) -> None:
    year = date.today().year
    assert fridge.code == f"L{lab.code}-{year}000001"
    assert AuditEvent.objects.get(action="storage_location_create").after["name"] == "留样冰箱 1"


@pytest.mark.parametrize(("kind", "name", "field"), [
    ("fridge", "  ", "name"), ("attic", "阁楼", "kind"), ("fridge", "留样冰箱 1", "name")])
def test_bad_location_is_refused(staff, lab, fridge, kind, name, field) -> None:
    with pytest.raises(ApplicationError) as error:
        custody.storage_location_create(actor=staff["manager"], lab=lab, kind=kind, name=name)
    assert error.value.field == field
    assert StorageLocation.objects.count() == 1


def test_location_inside_another_labs_location_is_refused(staff, lab, other_fridge) -> None:
    with pytest.raises(ApplicationError, match="another lab"):
        custody.storage_location_create(actor=staff["manager"], lab=lab, kind="shelf",
                                        name="第一层", within=other_fridge)


def test_a_clerk_does_not_define_storage(staff, lab) -> None:
    with pytest.raises(PermissionDenied):
        custody.storage_location_create(actor=staff["clerk"], lab=lab, kind="room", name="305")


def test_move_by_scan_records_who_when_from_and_to(staff, received, fridge, lab) -> None:
    sample, aliquot = custody_selectors.custody_item_by_label(staff["clerk"], received.number)
    first = custody.sample_move(actor=staff["clerk"], sample=sample, location=fridge)
    second = custody.sample_move(actor=staff["clerk"], sample=sample, holder=staff["analyst"])
    received.refresh_from_db()
    assert aliquot is None
    assert (first.from_location, first.to_location, first.moved_by) == (None, fridge,
                                                                         staff["clerk"])
    assert (second.from_location, second.to_holder) == (fridge, staff["analyst"])
    assert (received.location, received.holder) == (None, staff["analyst"])
    events = AuditEvent.objects.filter(action="sample_move").order_by("id")
    assert [e.after["holder"] for e in events] == ["", "analyst"]
    assert events[1].before["location"] == fridge.code


def test_move_to_another_labs_location_changes_nothing(staff, received, fridge,
                                                       other_fridge) -> None:
    custody.sample_move(actor=staff["clerk"], sample=received, location=fridge)
    with pytest.raises(ApplicationError, match="belongs to another lab") as error:
        custody.sample_move(actor=staff["clerk"], sample=received, location=other_fridge)
    assert error.value.field == "location"
    received.refresh_from_db()
    assert received.location == fridge and SampleMove.objects.count() == 1


def test_scan_of_another_labs_sample_is_not_found(received, other_lab) -> None:
    other_clerk = make_user("other_clerk", Role.RECEPTION_CLERK, other_lab)
    with pytest.raises(NotFound, match=received.number):
        custody_selectors.custody_item_by_label(other_clerk, received.number)


def test_hand_over_to_someone_outside_the_lab_is_refused(staff, received, other_lab) -> None:
    outsider = make_user("outsider", Role.ANALYST, other_lab)
    with pytest.raises(ApplicationError, match="does not work in this lab"):
        custody.sample_move(actor=staff["clerk"], sample=received, holder=outsider)
    assert not SampleMove.objects.exists()


def test_move_needs_one_destination(staff, received, fridge) -> None:
    with pytest.raises(ApplicationError, match="Scan a storage location"):
        custody.sample_move(actor=staff["clerk"], sample=received)
    with pytest.raises(ApplicationError, match="Scan a storage location"):
        custody.sample_move(actor=staff["clerk"], sample=received, location=fridge,
                            holder=staff["analyst"])


def test_a_sample_not_yet_received_cannot_be_moved(staff, application, fridge) -> None:
    with pytest.raises(ApplicationError, match="is not in the lab"):
        custody.sample_move(actor=staff["clerk"], sample=application.samples.get(),
                            location=fridge)


def test_aliquots_are_numbered_after_their_sample_and_scanned(staff, received, fridge) -> None:
    custody.sample_move(actor=staff["clerk"], sample=received, location=fridge)
    first = custody.aliquot_create(actor=staff["analyst"], sample=received, quantity="50 g",
                                   purpose="复测")
    second = custody.aliquot_create(actor=staff["analyst"], sample=received, quantity="20 g")
    assert [first.number, second.number] == [f"{received.number}-1", f"{received.number}-2"]
    assert first.location == fridge
    sample, aliquot = custody_selectors.custody_item_by_label(staff["clerk"], second.number)
    assert (sample, aliquot) == (received, second)
    move = custody.sample_move(actor=staff["clerk"], sample=sample, aliquot=aliquot,
                               holder=staff["analyst"])
    second.refresh_from_db()
    received.refresh_from_db()
    assert (move.aliquot, move.from_location) == (second, fridge)
    assert second.holder == staff["analyst"] and received.location == fridge


def test_aliquot_needs_a_quantity(staff, received) -> None:
    with pytest.raises(ApplicationError) as error:
        custody.aliquot_create(actor=staff["analyst"], sample=received, quantity=" ")
    assert error.value.field == "quantity" and not Aliquot.objects.exists()


def test_timeline_lists_reception_moves_and_aliquots_in_order(staff, received,
                                                              fridge) -> None:
    custody.sample_move(actor=staff["clerk"], sample=received, location=fridge)
    custody.aliquot_create(actor=staff["analyst"], sample=received, quantity="50 g")
    received.refresh_from_db()
    events = custody_selectors.sample_timeline(received)
    assert [event.what for event in events] == [
        "Received", "Moved", f"Aliquot {received.number}-1 taken"]
    assert events[0].detail == "Packaging damaged · 外袋破损"
    assert events[1].detail == f"from Reception to 留样冰箱 1 ({fridge.code})"
