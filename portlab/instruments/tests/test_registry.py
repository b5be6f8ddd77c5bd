import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_user
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.instruments.models import Instrument, InstrumentUse
from portlab.instruments.selectors import calibrations_due
from portlab.instruments.services import (
    instrument_status_change,
    instrument_usable,
    result_enter_with_instrument,
)
from portlab.instruments.tests.conftest import calibrate, register
from portlab.testing.models import Result
from portlab.testing.results import ResultInput


def test_registering_an_instrument_is_audited(staff, lab) -> None:
    instrument = register(staff, lab)
    assert (instrument.status, instrument.telemetry.state) == ("in_service", "offline")
    event = AuditEvent.objects.get(action="instrument_register")
    assert event.after == {"asset_number": "TJ-ICPMS-01", "lab": "TJ-TC", "status": "in_service"}


def test_asset_number_is_unique(staff, lab) -> None:
    register(staff, lab)
    with pytest.raises(ApplicationError) as caught:
        register(staff, lab)
    assert (caught.value.field, caught.value.message) == (
        "asset_number", "Asset number TJ-ICPMS-01 is already registered.")


def test_negative_rate_is_refused(staff, lab) -> None:
    with pytest.raises(ApplicationError) as caught:
        register(staff, lab, hourly_rate=-1)
    assert caught.value.field == "hourly_rate"
    assert Instrument.objects.count() == 0


def test_only_the_lab_manager_registers(staff, lab) -> None:
    with pytest.raises(PermissionDenied):
        register({"manager": staff["analyst"]}, lab)


def test_usable_instrument_passes(instrument) -> None:
    instrument_usable(instrument, timezone.now())


@pytest.mark.parametrize(("status", "message"), [
    ("retired", "Instrument TJ-ICPMS-01 is retired."),
    ("out_of_service", "Instrument TJ-ICPMS-01 is out of service."),
    ("under_calibration", "Instrument TJ-ICPMS-01 is under calibration."),
])
def test_status_makes_the_instrument_unusable(staff, instrument, status, message) -> None:
    instrument_status_change(actor=staff["manager"], instrument=instrument, status=status,
                             reason="annual service")
    with pytest.raises(ApplicationError) as caught:
        instrument_usable(instrument, timezone.now())
    assert (caught.value.field, caught.value.message) == ("instrument", message)


def test_status_change_needs_a_reason(staff, instrument) -> None:
    with pytest.raises(ApplicationError) as caught:
        instrument_status_change(actor=staff["manager"], instrument=instrument,
                                 status="retired", reason=" ")
    assert caught.value.field == "reason"


def test_past_calibration_due_date_is_refused(staff, lab) -> None:
    instrument = register(staff, lab, calibration_interval_days=30)
    calibration = calibrate(staff, instrument, days_ago=31)
    with pytest.raises(ApplicationError) as caught:
        instrument_usable(instrument, timezone.now())
    assert caught.value.message == (
        f"Instrument TJ-ICPMS-01 is past its calibration due date "
        f"({calibration.due_date.isoformat()}).")


def test_never_calibrated_is_refused(staff, lab) -> None:
    instrument = register(staff, lab)
    with pytest.raises(ApplicationError) as caught:
        instrument_usable(instrument, timezone.now())
    assert caught.value.message == "Instrument TJ-ICPMS-01 has no calibration on record."


def test_failed_calibration_takes_the_instrument_out_of_service(staff, instrument) -> None:
    calibrate(staff, instrument, days_ago=0, result="fail")
    instrument.refresh_from_db()
    assert instrument.status == "out_of_service"
    with pytest.raises(ApplicationError):
        instrument_usable(instrument, timezone.now())


def test_calibration_in_the_future_is_refused(staff, instrument) -> None:
    with pytest.raises(ApplicationError) as caught:
        calibrate(staff, instrument, days_ago=-1)
    assert (caught.value.field, caught.value.message) == (
        "date", "The calibration date is in the future.")


def test_result_with_instrument_links_both(staff, instrument, assigned_test) -> None:
    result = result_enter_with_instrument(
        actor=staff["analyst"], test=assigned_test, instrument=instrument,
        data=ResultInput(kind="numeric", value="0.041"))
    use = InstrumentUse.objects.get()
    assert (use.test_id, use.result_id, use.instrument_id) == (
        assigned_test.pk, result.pk, instrument.pk)
    assert AuditEvent.objects.filter(action="instrument_use").count() == 1


def test_result_with_an_unusable_instrument_is_refused_and_nothing_stored(
        staff, lab, assigned_test) -> None:
    instrument = register(staff, lab, calibration_interval_days=30)
    calibrate(staff, instrument, days_ago=40)
    with pytest.raises(ApplicationError) as caught:
        result_enter_with_instrument(actor=staff["analyst"], test=assigned_test,
                                     instrument=instrument,
                                     data=ResultInput(kind="numeric", value="0.041"))
    assert caught.value.field == "instrument"
    assert "past its calibration due date" in caught.value.message
    assert (Result.objects.count(), InstrumentUse.objects.count()) == (0, 0)
    assigned_test.refresh_from_db()
    assert assigned_test.status == "assigned"


def test_instrument_of_another_lab_is_refused(staff, other_lab, assigned_test) -> None:
    other = register({"manager": make_user("manager2", "lab_manager", other_lab)}, other_lab,
                     "XG-1")
    with pytest.raises(ApplicationError) as caught:
        result_enter_with_instrument(actor=staff["analyst"], test=assigned_test,
                                     instrument=other,
                                     data=ResultInput(kind="numeric", value="0.041"))
    assert caught.value.message == (
        f"Instrument XG-1 belongs to another lab than test {assigned_test.pk}.")


def test_calibrations_due_lists_soon_and_overdue(staff, lab) -> None:
    soon = register(staff, lab, "A-1", calibration_interval_days=365, check_interval_days=0)
    calibrate(staff, soon, days_ago=350)
    fine = register(staff, lab, "A-2", calibration_interval_days=365, check_interval_days=0)
    calibrate(staff, fine, days_ago=10)
    never = register(staff, lab, "A-3", check_interval_days=0)
    due = calibrations_due(lab, days=30)
    assert [(d.instrument.asset_number, d.what, d.overdue) for d in due] == [
        ("A-3", "calibration", True), ("A-1", "calibration", False)]
    assert due[1].due_date == timezone.localdate() + dt.timedelta(days=15)
    assert never.pk == due[0].instrument.pk


def test_intermediate_check_is_due_from_the_last_check_or_calibration(staff, lab) -> None:
    from portlab.instruments.services import check_record

    instrument = register(staff, lab, "A-9", check_interval_days=90)
    calibrate(staff, instrument, days_ago=100)
    [due] = calibrations_due(lab)
    assert (due.what, due.overdue) == ("check", True)
    assert due.due_date == timezone.localdate() - dt.timedelta(days=10)
    check_record(actor=staff["analyst"], instrument=instrument, result="pass",
                 date=timezone.localdate() - dt.timedelta(days=70))
    [due] = calibrations_due(lab)
    assert (due.due_date, due.overdue) == (timezone.localdate() + dt.timedelta(days=20), False)


def test_the_first_calibrations_due_with_a_limit_are_the_same_as_without(staff, lab) -> None:
    from portlab.instruments.selectors import calibrations_due_in

    for n, days_ago in enumerate([350, 340, 360, 10, 355]):
        calibrate(staff, register(staff, lab, f"L-{n}", calibration_interval_days=365,
                                  check_interval_days=0), days_ago=days_ago)
    register(staff, lab, "L-never", check_interval_days=0)
    checked = register(staff, lab, "L-check", check_interval_days=90)
    calibrate(staff, checked, days_ago=95)  # its check is 5 days overdue
    every = calibrations_due_in([lab.pk], 30)
    assert [(d.instrument.asset_number, d.what) for d in every] == [
        ("L-never", "calibration"), ("L-check", "check"), ("L-2", "calibration"),
        ("L-4", "calibration"), ("L-0", "calibration"), ("L-1", "calibration")]
    assert calibrations_due_in([lab.pk], 30, limit=3) == every[:3]
