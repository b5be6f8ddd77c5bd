"""Manual result entry checks the instrument as file imports do (issue 11: "manual result
entry never checks the instrument"): a named instrument, or one the capability requires, must
be in service and within its calibration."""

from django.test import Client

from conftest import PASSWORD
from portlab.accounts.services import api_token_create
from portlab.instruments.models import Instrument, InstrumentUse
from portlab.instruments.services import instrument_status_change
from portlab.instruments.tests.conftest import calibrate, register
from portlab.testing.models import Result


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')}",
                  HTTP_ACCEPT_LANGUAGE="en")


def post_result(staff, test, **fields):
    body = {"kind": "numeric", "value": "0.041", "version": test.version, **fields}
    return api(staff["analyst"]).post(f"/api/v1/tests/{test.pk}/result", body,
                                      content_type="application/json")


def test_an_expired_calibration_refuses_a_manual_result(staff, lab, assigned_test) -> None:
    instrument = register(staff, lab, calibration_interval_days=30)
    calibrate(staff, instrument, days_ago=40)
    due = instrument.calibrations.get().due_date.isoformat()
    response = post_result(staff, assigned_test, instrument=instrument.asset_number)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Instrument TJ-ICPMS-01 is past its calibration due date ({due}).",
        "field": "instrument"}
    assert (Result.objects.count(), InstrumentUse.objects.count()) == (0, 0)
    assigned_test.refresh_from_db()
    assert assigned_test.status == "assigned"


def test_the_result_page_refuses_an_instrument_out_of_service(staff, lab, assigned_test) -> None:
    instrument = register(staff, lab)
    calibrate(staff, instrument)
    instrument_status_change(actor=staff["manager"], instrument=instrument,
                             status=Instrument.Status.OUT_OF_SERVICE, reason="lamp broken")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="analyst", password=PASSWORD)
    page = client.get("/testing/mine/").content.decode()
    assert '<option value="TJ-ICPMS-01">' in page
    response = client.post(f"/testing/tests/{assigned_test.pk}/result/",
                           {"kind": "numeric", "value": "0.041", "instrument": "TJ-ICPMS-01",
                            "version": assigned_test.version}, follow=True)
    assert "Instrument TJ-ICPMS-01 is out of service." in response.content.decode()
    assert not Result.objects.exists()


def test_a_capability_measured_on_an_instrument_needs_one(staff, lab, assigned_test) -> None:
    capability = assigned_test.capability
    capability.requires_instrument = True
    capability.save()
    refused = post_result(staff, assigned_test)
    assert refused.status_code == 400
    assert refused.json()["field"] == "instrument"
    assert refused.json()["detail"].endswith("is measured on an instrument: name the instrument "
                                             "used.")
    instrument = register(staff, lab)
    calibrate(staff, instrument)
    entered = post_result(staff, assigned_test, instrument=instrument.asset_number)
    assert entered.status_code == 200, entered.content
    assert InstrumentUse.objects.get().instrument == instrument


def test_without_an_instrument_a_plain_capability_takes_a_manual_result(staff,
                                                                       assigned_test) -> None:
    response = post_result(staff, assigned_test)
    assert response.status_code == 200
    assert response.json()["result"]["entered_value"] == "0.041"
    assert not InstrumentUse.objects.exists()
