"""The report says where each value came from: method, LOD/LOQ and U with its k per result,
the accreditation mark only where the issuing lab is accredited by a current standard, tests of
other labs named with their accreditation and agreement, and a signed digest over every
printed field (payload format 2) while reports signed in format 1 keep verifying."""

import dataclasses
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pdfplumber
import pytest
from django.test import Client
from django.utils import translation

from conftest import SIGNED, authorize_lab_staff, make_user
from portlab.accounts.models import Role, User
from portlab.core.errors import ApplicationError
from portlab.intake.models import Application
from portlab.network.agreements import agreement_create
from portlab.network.models import (
    Capability,
    District,
    Lab,
    Method,
    RecognitionAgreement,
    Standard,
    TestItem,
)
from portlab.reports import content, services
from portlab.reports.cose import qr_decode, sign1_decode
from portlab.reports.models import Report
from portlab.reports.payload import (
    FORMAT_FIVE_FIELDS,
    FORMAT_PRINTED_FIELDS,
    payload_decode,
    result_table_digest,
)
from portlab.reports.render import verification_url
from portlab.reports.services import report_issue
from portlab.reports.tests.conftest import approve
from portlab.testing import services as testing
from portlab.testing.models import Result, Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput
from portlab.transfers.services import transfer_dispatch, transfer_receive


def _pdf_text(report: Report) -> str:
    pdf = bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() for page in document.pages)


def _signed_payload(report: Report):
    return payload_decode(sign1_decode(qr_decode(report.payload)).payload)


def _issue(staff: dict[str, User], application: Application) -> Report:
    application.refresh_from_db()
    return report_issue(actor=staff["signatory"], application=application, language="en",
                        credential=SIGNED)


def test_each_result_prints_method_lod_loq_and_u_with_its_k(
        staff: dict[str, User], assigned_test: Test, keys_dir: Path) -> None:
    testing.result_enter(actor=staff["analyst"], test=assigned_test, data=ResultInput(
        kind="numeric", value="0.041", uncertainty="0.009", coverage_factor="3"))
    assigned_test.refresh_from_db()
    testing.test_review(actor=staff["reviewer"], test=assigned_test, decision="accept",
                        expected_version=assigned_test.version, credential=SIGNED)
    testing.test_approve(actor=staff["signatory"], test=assigned_test, decision="accept",
                         expected_version=assigned_test.version, credential=SIGNED)
    report = _issue(staff, assigned_test.sample.application)
    text = _pdf_text(report)
    assert "LOD / LOQ" in text
    assert "0.005 / 0.02" in text
    assert "U = 0.009" in text and "(k = 3)" in text
    assert "GB 5009.12-2023" in text and "GFAAS" in text


def test_the_signed_digest_covers_every_printed_field(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    report = _issue(staff, approved_application)
    payload = _signed_payload(report)
    assert payload.payload_format == FORMAT_PRINTED_FIELDS
    with translation.override("en"):
        rows = content.table_rows(approved_application,
                                  content.approved_tests(approved_application))
    (row,) = rows
    assert (row.method, row.value, row.unit, row.uncertainty, row.detection_limits, row.limit,
            row.decision_rule, row.conformity, row.accreditation_mark, row.performing_lab) == (
        "GB 5009.12-2023 GFAAS", "0.041", "mg/kg", "U = 0.006 (k = 2)", "0.005 / 0.02",
        "≤ 0.2 mg/kg", "Simple acceptance (ILAC G8, w = 0)", "Conforms", "*", "")
    assert payload.result_digest == result_table_digest([row.signed()])
    for field in ("method", "uncertainty", "detection_limits", "limit", "decision_rule",
                  "accreditation_mark", "performing_lab"):
        changed = dataclasses.replace(row, **{field: getattr(row, field) + "x"})
        assert result_table_digest([changed.signed()]) != payload.result_digest, field


def test_a_report_signed_in_format_1_keeps_verifying(
        staff: dict[str, User], approved_application: Application, keys_dir: Path,
        client: Client, monkeypatch) -> None:
    monkeypatch.setattr(services, "PAYLOAD_FORMAT", FORMAT_FIVE_FIELDS)
    old = _issue(staff, approved_application)
    monkeypatch.undo()
    payload = _signed_payload(old)
    assert payload.payload_format == FORMAT_FIVE_FIELDS
    with translation.override("en"):
        (row,) = content.table_rows(approved_application,
                                    content.approved_tests(approved_application))
    assert payload.result_digest == result_table_digest([row.signed_format_1()])
    response = client.get(urlsplit(verification_url(old.payload)).path)
    assert response.context["verdict"].outcome == "genuine"
    pdf = bytes(Report.objects.values_list("pdf", flat=True).get(pk=old.pk))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/verify/upload",
                           {"file": SimpleUploadedFile("r.pdf", pdf, "application/pdf")})
    assert response.context["verdict"].outcome == "genuine"


def test_no_accreditation_mark_on_a_method_of_a_withdrawn_standard(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    Standard.objects.filter(code="GB 5009.12-2023").update(status=Standard.Status.WITHDRAWN)
    report = _issue(staff, approved_application)
    with translation.override("en"):
        (row,) = content.table_rows(approved_application,
                                    content.approved_tests(approved_application))
    assert (row.accreditation_mark, row.method) == (
        "", "GB 5009.12-2023 GFAAS (standard withdrawn)")
    text = _pdf_text(report)
    assert "Lead *" not in text
    assert "within the scope of CNAS accreditation" not in text


def test_free_text_is_never_printed_as_a_quantity(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    Result.objects.update(entered_value="abc")  # e.g. a row written before the checks
    with translation.override("en"):
        (row,) = content.table_rows(approved_application,
                                    content.approved_tests(approved_application))
    assert row.value == "0.041"
    Result.objects.update(value=None)
    with translation.override("en"), pytest.raises(ApplicationError, match="has no number"):
        content.table_rows(approved_application, content.approved_tests(approved_application))


@pytest.fixture
def beijing_lab(lead: TestItem) -> Lab:
    district = District.objects.create(code="0100", name_zh="北京海关",
                                       name_en="Beijing Customs", city="北京")
    lab = Lab.objects.create(code="BJ-TC", district=district, kind=Lab.Kind.KEY,
                             cnas_number="CNAS L0123", name_zh="北京海关技术中心",
                             name_en="Beijing Customs Technology Center", city="北京")
    Capability.objects.create(lab=lab, test_item=lead, method=Method.objects.get(),
                              accredited=True, lod=0.002, loq=0.006, unit="mg/kg",
                              price=Decimal("100"), turnaround_days=3, daily_capacity=50)
    return lab


def _transferred_and_approved(staff: dict[str, User], application: Application,
                              beijing_lab: Lab) -> Test:
    agreement_create(actor=staff["admin"], code="JJJ-2024-001", accepting=application.lab,
                     performing=beijing_lab, scope=RecognitionAgreement.Scope.ALL_ACCREDITED,
                     test_items=[], valid_from=date(2020, 1, 1), valid_to=date(2099, 12, 31),
                     document_reference="京津冀结果互认协议 2024 第1号")
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    transfer = transfer_dispatch(actor=staff["manager"], test=test, to_lab=beijing_lab,
                                 sample_portion="50 g")
    beijing = {name: make_user(f"bj{name}", role, beijing_lab) for name, role in (
        ("clerk", Role.RECEPTION_CLERK), ("manager", Role.LAB_MANAGER),
        ("analyst", Role.ANALYST), ("reviewer", Role.REVIEWER),
        ("signatory", Role.SIGNATORY))}
    authorize_lab_staff(beijing, beijing_lab)
    transfer_receive(actor=beijing["clerk"], transfer=transfer,
                     expected_version=transfer.version)
    test.refresh_from_db()
    testing.test_assign(actor=beijing["manager"], test=test, analyst=beijing["analyst"])
    approve(beijing, test)
    return test


def test_a_transferred_result_names_its_lab_never_the_issuing_lab_star(
        staff: dict[str, User], application: Application, beijing_lab: Lab,
        keys_dir: Path) -> None:
    _transferred_and_approved(staff, application, beijing_lab)
    report = _issue(staff, application)
    text = " ".join(_pdf_text(report).split())
    assert "Lead [1]" in text and "Lead *" not in text
    assert ("[1] Performed by Beijing Customs Technology Center (accredited for this item, "
            "CNAS L0123) under recognition agreement JJJ-2024-001.") in text
    assert "within the scope of CNAS accreditation CNAS L0321" not in text
    with translation.override("en"):
        (row,) = content.table_rows(application, content.approved_tests(application))
    assert row.detection_limits == "0.002 / 0.006"  # the performing lab's LOD / LOQ
    assert _signed_payload(report).result_digest == result_table_digest([row.signed()])


def test_the_cma_mark_stands_beside_cnas_where_the_lab_holds_it(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    text = _pdf_text(_issue(staff, approved_application))
    assert "CMA" not in text and "CNAS L0321" in text
    Lab.objects.filter(pk=approved_application.lab_id).update(cma_number="CMA 240012345678")
    approved_application.lab.refresh_from_db()
    report = services.report_reissue(actor=staff["signatory"], credential=SIGNED,
                                     report=Report.objects.get(), reason="add the CMA mark")
    header = _pdf_text(report).splitlines()[:4]
    assert any("CMA" in line and "CNAS" in line for line in header)
    assert any("CMA 240012345678" in line for line in header)


def test_a_bilingual_report_states_everything_in_chinese_and_english(
        staff: dict[str, User], approved_application: Application, keys_dir: Path,
        client: Client) -> None:
    approved_application.refresh_from_db()
    report = report_issue(actor=staff["signatory"], credential=SIGNED,
                          application=approved_application,
                          language="zh-en")
    text = _pdf_text(report)
    for words in ("检 测 报 告", "TEST REPORT", "检测项目", "Test item", "天津海关技术中心",
                  "Tianjin Customs Technology Center", "符合", "Conforms", "铅", "Lead *",
                  "所判定项目均符合判定依据要求。",
                  "The judged items conform to the specification.",
                  "检测结果仅对所检样品负责", "Results relate only to the items tested."):
        assert words in text, words
    assert report.conclusion == ("所判定项目均符合判定依据要求。\n"
                                 "The judged items conform to the specification.")
    response = client.get(urlsplit(verification_url(report.payload)).path)
    assert response.context["verdict"].outcome == "genuine"


def test_the_report_prints_the_value_rounded_by_gb_t_8170(
        staff: dict[str, User], assigned_test: Test, keys_dir: Path) -> None:
    """0.135 at two decimals is 0.14 (GB/T 8170-2008 §3.2: half, kept digit odd, carried)."""
    Capability.objects.filter(pk=assigned_test.capability_id).update(reported_decimals=2)
    assigned_test.refresh_from_db()
    testing.result_enter(actor=staff["analyst"], test=assigned_test,
                         data=ResultInput(kind="numeric", value="0.135"))
    assigned_test.refresh_from_db()
    assert content.value_text(Result.objects.get(test=assigned_test)) == "0.14"
