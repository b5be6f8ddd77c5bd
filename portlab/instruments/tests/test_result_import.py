import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.files.services import rawfile_read
from portlab.instruments.models import ImportRow, InstrumentUse, ResultFile
from portlab.instruments.services import (
    agent_actor,
    import_counts,
    import_row_reject,
    import_rows_confirm,
    instrument_status_change,
    result_file_import,
)
from portlab.instruments.tests.conftest import calibrate, make_assigned_tests, register
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


def confirm(staff, outcome) -> int:
    return import_rows_confirm(actor=staff["analyst"], result_file=outcome.result_file)


def held(outcome) -> list[tuple[int, str, str, str]]:
    return list(ImportRow.objects.filter(result_file=outcome.result_file, status="held")
                .order_by("position").values_list("line", "sample_code", "analyte", "reason"))


def test_icpms_file_stages_every_row_and_the_analyst_confirms(staff, instrument,
                                                              icpms_tests) -> None:
    outcome = upload(instrument)
    assert Result.objects.count() == 0  # not the analyst's result until they confirm it
    assert outcome.counts == {"matched": 2, "held": 4, "entered": 0, "rejected": 0}
    assert held(outcome) == [(14, "TJ240315001", "As", "test_not_assigned"),
                             (14, "TJ240315001", "Cd", "test_not_assigned"),
                             (15, "TJ240315002", "As", "test_not_assigned"),
                             (15, "TJ240315002", "Cd", "test_not_assigned")]
    assert confirm(staff, outcome) == 2
    results = {r.test.sample.barcode: r for r in Result.objects.select_related("test__sample")}
    assert {b: (r.value, r.conformity) for b, r in results.items()} == {
        "TJ240315001": (0.041, "pass"), "TJ240315002": (0.26, "fail")}
    assert {(r.entered_by_id, r.confirmed_by_id, r.produced_by_id, r.produced_by_agent,
             r.source, r.raw_file.sha256) for r in results.values()} == {
        (staff["analyst"].pk, staff["analyst"].pk, None, "TJ-ICPMS-01", "instrument_file",
         hashlib.sha256(ICPMS).hexdigest())}
    assert import_counts(outcome.result_file) == {"matched": 0, "held": 4, "entered": 2,
                                                  "rejected": 0}
    assert InstrumentUse.objects.filter(result_file=outcome.result_file).count() == 2
    event = AuditEvent.objects.get(action="result_file_import")
    assert (event.actor_name, event.after["rows"], event.after["held"]) == (
        "agent:TJ-ICPMS-01", 6, 4)
    assert AuditEvent.objects.get(action="import_rows_confirm").after == {"results": 2}


def test_the_raw_file_is_stored_and_listed_in_the_audit_trail(instrument, icpms_tests) -> None:
    outcome = upload(instrument)
    digest = hashlib.sha256(ICPMS).hexdigest()
    assert outcome.result_file.raw_file.sha256 == digest
    assert rawfile_read(sha256=digest) == ICPMS
    assert AuditEvent.objects.filter(action="rawfile_store",
                                     after__sha256=digest).count() == 1


def test_only_the_assigned_analyst_confirms(staff, instrument, icpms_tests) -> None:
    outcome = upload(instrument, actor=staff["manager"])
    with pytest.raises(PermissionDenied):
        import_rows_confirm(actor=staff["manager"], result_file=outcome.result_file)
    confirm(staff, outcome)
    assert set(Result.objects.values_list("produced_by_id", "confirmed_by_id")) == {
        (staff["manager"].pk, staff["analyst"].pk)}


def test_the_same_file_twice_is_a_no_op(staff, instrument, icpms_tests) -> None:
    confirm(staff, upload(instrument))
    again = upload(instrument, filename="renamed.csv")
    assert again.duplicate is True
    assert (Result.objects.count(), ResultFile.objects.count(), ImportRow.objects.count()) == (
        2, 1, 6)


def test_unknown_and_other_lab_samples_are_held_not_dropped(staff, lab, lead, rice, enterprise,
                                                            instrument) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001"])
    outcome = upload(instrument)
    assert [row for row in held(outcome) if row[3] == "unknown_sample"] == [
        (15, "TJ240315002", "Pb", "unknown_sample"), (15, "TJ240315002", "As", "unknown_sample"),
        (15, "TJ240315002", "Cd", "unknown_sample")]
    assert outcome.counts == {"matched": 1, "held": 5, "entered": 0, "rejected": 0}


def test_a_held_row_is_matched_after_its_test_is_assigned_and_a_resend_retries_it(
        staff, lab, lead, rice, enterprise, instrument) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001"])
    outcome = upload(instrument)
    row = ImportRow.objects.get(result_file=outcome.result_file, line=15, analyte="Cd")
    import_row_reject(actor=staff["manager"], row=row, reason="Cd not requested",
                      expected_version=row.version)
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315002"])
    again = upload(instrument)
    assert again.duplicate is True
    assert again.counts == {"matched": 2, "held": 3, "entered": 0, "rejected": 1}
    assert confirm(staff, again) == 2
    assert ImportRow.objects.count() == 6  # nothing staged twice


def test_truncated_file_is_refused_with_its_line_and_nothing_staged(instrument,
                                                                    icpms_tests) -> None:
    truncated = ICPMS[:ICPMS.index(b"006SMPL.d") + 40]
    with pytest.raises(ApplicationError) as caught:
        upload(instrument, truncated)
    assert caught.value.message == (
        "Line 15: expected 10 columns, found 4 (truncated or malformed line).")
    assert (ImportRow.objects.count(), InstrumentUse.objects.count()) == (0, 0)
    refused = ResultFile.objects.get()
    assert (refused.status, refused.error) == ("failed", caught.value.message)
    assert rawfile_read(sha256=refused.sha256) == truncated  # the raw file is kept


def test_refusal_is_in_the_users_language(instrument, icpms_tests) -> None:
    truncated = ICPMS[:ICPMS.index(b"006SMPL.d") + 40]
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        upload(instrument, truncated)
    assert caught.value.message == "第 15 行：应有 10 列，实际 4 列（文件被截断或格式有误）。"


def test_a_missing_column_is_named_in_the_users_language(staff, lab) -> None:
    generic = register(staff, lab, asset_number="TJ-GENERIC-01", export_format="generic_csv")
    calibrate(staff, generic)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        upload(generic, "样品,analyte,value\nTJ1,Pb,0.1\n".encode(), filename="g.csv")
    assert caught.value.message == "第 1 行：表头中没有“sample_id”列（样品编号或条码）。"
    assert ImportRow.objects.count() == 0


def test_a_bad_value_on_a_later_row_refuses_the_whole_file(instrument,
                                                           icpms_tests) -> None:
    broken = ICPMS.replace(b"0.260,1.4", b"0.260 mg,1.4")
    with pytest.raises(ApplicationError) as caught:
        upload(instrument, broken)
    assert caught.value.message.startswith("Line 15: “0.260 mg” in column")
    assert ImportRow.objects.count() == 0


def test_rows_of_an_instrument_out_of_calibration_are_held_until_a_resend(
        staff, instrument, icpms_tests) -> None:
    instrument_status_change(actor=staff["manager"], instrument=instrument,
                             status="under_calibration", reason="sent to NIM")
    outcome = upload(instrument)
    assert {row[3] for row in held(outcome)} == {"not_calibrated"}
    assert outcome.counts["held"] == 6
    instrument_status_change(actor=staff["manager"], instrument=instrument,
                             status="in_service", reason="back from NIM")
    again = upload(instrument)
    assert again.counts == {"matched": 2, "held": 4, "entered": 0, "rejected": 0}


def test_a_unit_the_test_cannot_report_is_held(staff, instrument, icpms_tests) -> None:
    outcome = upload(instrument, ICPMS.replace(b"Conc. [ mg/kg ],Conc. RSD,Conc. [ mg/kg ]",
                                               b"Conc. [ cps ],Conc. RSD,Conc. [ mg/kg ]"))
    assert [row for row in held(outcome) if row[3] == "unit_unknown"] == [
        (14, "TJ240315001", "Pb", "unit_unknown"), (15, "TJ240315002", "Pb", "unit_unknown")]


def test_a_test_that_already_has_a_result_is_not_overwritten(staff, instrument,
                                                             icpms_tests) -> None:
    result_enter(actor=staff["analyst"], test=Test.objects.get(pk=icpms_tests[0].pk),
                 data=ResultInput(kind="numeric", value="0.05"))
    outcome = upload(instrument)
    assert (14, "TJ240315001", "Pb", "test_not_assigned") in held(outcome)
    assert confirm(staff, outcome) == 1
    manual = Result.objects.get(test=icpms_tests[0])
    assert (manual.value, manual.source, manual.produced_by, manual.confirmed_by) == (
        0.05, "manual", staff["analyst"], staff["analyst"])


def test_only_lab_staff_upload_by_hand(staff, instrument, icpms_tests) -> None:
    with pytest.raises(PermissionDenied):
        upload(instrument, actor=staff["customer"])
    outcome = upload(instrument, actor=staff["analyst"])
    assert outcome.result_file.uploaded_by == "analyst"


def test_a_masshunter_quant_table_matches_compounds_by_name(
        staff, lab, lead, rice, enterprise, instrument) -> None:
    """The real MassHunter Quant layout (fixtures/masshunter_quant_lcms.csv): the two sample
    lines' compound mapped onto the test item are entered in the capability's unit; the
    blank's row is held (no such sample), the unmapped compounds are held."""
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["SPL1", "SPL2"])
    instrument.analyte_map = {"Aldosterone": "PB"}  # map a compound onto the test item
    outcome = upload(instrument, (FIXTURES / "masshunter_quant_lcms.csv").read_bytes())
    assert outcome.counts["matched"] == 2
    assert confirm(staff, outcome) == 2
    values = sorted(Result.objects.values_list("test__sample__barcode", "value", "unit"))
    assert values == [("SPL1", Decimal("325"), "mg/kg"), ("SPL2", Decimal("372"), "mg/kg")]
    outcome.result_file.refresh_from_db()
    assert outcome.result_file.results_imported == 2


def test_a_quantstudio_export_keeps_its_asm_document_beside_the_original(staff,
                                                                         instrument) -> None:
    instrument.export_format = "asm_quantstudio"
    content = (FIXTURES / "allotropy" / "appbio_quantstudio_example06.txt").read_bytes()
    outcome = upload(instrument, content, filename="QS7_Comparative_Ct.txt")
    asm = json.loads(rawfile_read(sha256=outcome.result_file.asm_file.sha256))
    assert asm["$asm.manifest"].endswith("/qpcr.manifest")
    assert outcome.result_file.asm_file.name == "QS7_Comparative_Ct.txt.asm.json"
    assert outcome.counts == {"matched": 0, "held": 9, "entered": 0, "rejected": 0}
    assert {row[3] for row in held(outcome)} == {"unknown_sample"}  # "Lung", "Liver"


@pytest.fixture
def andrographolide(staff, lab):
    """An HPLC assay reported as the peak's area (mAU·s), the analyst authorized for it."""
    from decimal import Decimal

    from portlab.network.models import Capability, Method, Standard, TestItem
    from portlab.quality.services import authorization_grant

    standard = Standard.objects.create(code="ChP 2020 0512", name_zh="高效液相色谱法")
    method = Method.objects.create(code="ChP 0512 HPLC-UV", standard=standard, technique="HPLC")
    item = TestItem.objects.create(code="ANDRO", name_zh="穿心莲内酯", name_en="Andrographolide",
                                   unit="mAU.s")
    capability = Capability.objects.create(
        lab=lab, test_item=item, method=method, unit="mAU·s", accredited=True, price=Decimal("200"),
        turnaround_days=5, daily_capacity=20)
    authorization_grant(actor=staff["manager"], user=staff["analyst"], lab=lab, duty="testing",
                        capability=capability, valid_from="2020-01-01")
    return item


def test_an_openlab_cds_result_set_is_imported_end_to_end(staff, lab, rice, enterprise,
                                                          instrument, andrographolide) -> None:
    """allotropy's real Agilent OpenLab CDS export (fixtures/allotropy/README.md): stored with
    its ASM document, every peak accounted for, the mapped peak entered in mAU·s."""
    make_assigned_tests(staff, lab, andrographolide, rice, enterprise, ["MPS23-17 60 40 10x 2"])
    instrument.export_format = "asm_openlab_cds"
    instrument.analyte_map = {"RT 275.2 s": "ANDRO"}  # the peak the method names
    content = (FIXTURES / "allotropy" / "agilent_openlab_cds_one_injection.rslt").read_bytes()
    outcome = upload(instrument, content, filename="Luxo HPLC injection 10.rslt")
    assert rawfile_read(sha256=outcome.result_file.sha256) == content
    asm = json.loads(rawfile_read(sha256=outcome.result_file.asm_file.sha256))
    assert asm["$asm.manifest"].endswith("/liquid-chromatography.manifest")
    assert outcome.counts == {"matched": 1, "held": 27, "entered": 0, "rejected": 0}
    # The other peaks: no test of theirs; the same retention time on the injection's third
    # detector signal (measurement 3) is a second value for the test, held for the lab to judge.
    reasons = [row[3] for row in held(outcome)]
    assert (reasons.count("test_not_assigned"), reasons.count("second_value")) == (26, 1)
    assert [row[:3] for row in held(outcome) if row[3] == "second_value"] == [
        (3, "MPS23-17 60 40 10x 2", "RT 275.2 s")]
    assert confirm(staff, outcome) == 1
    result = Result.objects.get()
    assert (result.test.sample.barcode, result.entered_value, result.entered_unit,
            result.raw_file.sha256) == ("MPS23-17 60 40 10x 2", "1146.563431618222", "mAU.s",
                                        outcome.result_file.sha256)
    assert result.value == pytest.approx(1146.563431618222)
