from pathlib import Path

import pytest
from django.utils import translation

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.instruments.models import InstrumentUse, ResultFile
from portlab.instruments.services import agent_actor, instrument_status_change, result_file_import
from portlab.instruments.tests.conftest import make_assigned_tests
from portlab.testing.models import Result, Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ICPMS = (FIXTURES / "icpms_masshunter_quant.csv").read_bytes()


@pytest.fixture
def icpms_tests(staff, lab, lead, rice, enterprise):
    return make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001", "TJ240315002"])


def upload(instrument, content: bytes = ICPMS, actor=None, filename: str = "batch.csv"):
    return result_file_import(actor=actor or agent_actor(instrument), instrument=instrument,
                              filename=filename, content=content)


def test_icpms_file_enters_results_as_the_assigned_analyst(staff, instrument,
                                                           icpms_tests) -> None:
    outcome = upload(instrument)
    results = {r.test.sample.barcode: r for r in Result.objects.select_related("test__sample")}
    assert {b: (r.value, r.conformity) for b, r in results.items()} == {
        "TJ240315001": (0.041, "pass"), "TJ240315002": (0.26, "fail")}
    assert {r.entered_by_id for r in results.values()} == {staff["analyst"].pk}
    assert (outcome.result_file.status, outcome.result_file.results_imported) == ("imported", 2)
    assert outcome.ignored == [
        "Line 14: TJ240315001 has no open test for “As”.",
        "Line 14: TJ240315001 has no open test for “Cd”.",
        "Line 15: TJ240315002 has no open test for “As”.",
        "Line 15: TJ240315002 has no open test for “Cd”."]
    assert InstrumentUse.objects.filter(result_file=outcome.result_file).count() == 2
    event = AuditEvent.objects.get(action="result_file_import")
    assert (event.actor_name, event.after["results"]) == ("agent:TJ-ICPMS-01", 2)


def test_the_same_file_twice_is_a_no_op(instrument, icpms_tests) -> None:
    upload(instrument)
    again = upload(instrument, filename="renamed.csv")
    assert again.duplicate is True
    assert (Result.objects.count(), ResultFile.objects.count()) == (2, 1)


def test_unknown_sample_ids_are_reported_by_line(staff, lab, lead, rice, enterprise,
                                                 instrument) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001"])
    with pytest.raises(ApplicationError) as caught:
        upload(instrument)
    assert caught.value.message == "Unknown sample ids on lines 15 (TJ240315002)."
    assert caught.value.extra == {"line": 15}
    assert Result.objects.count() == 0
    refused = ResultFile.objects.get()
    assert (refused.status, refused.error) == ("failed", caught.value.message)


def test_truncated_file_is_refused_with_its_line_and_nothing_stored(instrument,
                                                                    icpms_tests) -> None:
    truncated = ICPMS[:ICPMS.index(b"006SMPL.d") + 40]
    with pytest.raises(ApplicationError) as caught:
        upload(instrument, truncated)
    assert caught.value.message == (
        "Line 15: expected 10 columns, found 4 (truncated or malformed line).")
    assert (Result.objects.count(), InstrumentUse.objects.count()) == (0, 0)


def test_refusal_is_in_the_users_language(instrument, icpms_tests) -> None:
    truncated = ICPMS[:ICPMS.index(b"006SMPL.d") + 40]
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        upload(instrument, truncated)
    assert caught.value.message == "第 15 行：应有 10 列，实际 4 列（文件被截断或格式有误）。"


def test_a_bad_value_on_a_later_row_rolls_back_the_earlier_ones(instrument,
                                                                icpms_tests) -> None:
    broken = ICPMS.replace(b"0.260,1.4", b"0.260 mg,1.4")
    with pytest.raises(ApplicationError) as caught:
        upload(instrument, broken)
    assert caught.value.message.startswith("Line 15: “0.260 mg” in column")
    assert Result.objects.count() == 0


def test_file_for_an_instrument_out_of_calibration_is_refused(staff, instrument,
                                                              icpms_tests) -> None:
    instrument_status_change(actor=staff["manager"], instrument=instrument,
                             status="under_calibration", reason="sent to NIM")
    with pytest.raises(ApplicationError) as caught:
        upload(instrument)
    assert caught.value.message == "Instrument TJ-ICPMS-01 is under calibration."
    assert Result.objects.count() == 0
    instrument_status_change(actor=staff["manager"], instrument=instrument,
                             status="in_service", reason="back from NIM")
    assert upload(instrument).result_file.status == "imported"  # a refused file may come again


def test_a_test_that_already_has_a_result_is_not_overwritten(staff, instrument,
                                                             icpms_tests) -> None:
    result_enter(actor=staff["analyst"], test=Test.objects.get(pk=icpms_tests[0].pk),
                 data=ResultInput(kind="numeric", value="0.05"))
    outcome = upload(instrument)
    assert outcome.result_file.results_imported == 1
    assert "Line 14: TJ240315001 has no open test for “Pb”." in outcome.ignored
    assert Result.objects.get(test=icpms_tests[0]).value == 0.05


def test_only_lab_staff_upload_by_hand(staff, instrument, icpms_tests) -> None:
    with pytest.raises(PermissionDenied):
        upload(instrument, actor=staff["customer"])
    outcome = upload(instrument, actor=staff["analyst"])
    assert outcome.result_file.uploaded_by == "analyst"


def test_chromatography_file_matches_compounds_by_english_name(
        staff, lab, lead, rice, enterprise, instrument) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240316001", "TJ240316002"])
    instrument.analyte_map = {"Chlorpyrifos": "PB"}  # map a compound onto the test item
    outcome = upload(instrument, (FIXTURES / "chromatography_quant.txt").read_bytes())
    kinds = sorted(Result.objects.values_list("test__sample__barcode", "kind"))
    assert kinds == [("TJ240316001", "numeric"), ("TJ240316002", "below_lod")]
    assert outcome.result_file.results_imported == 2
