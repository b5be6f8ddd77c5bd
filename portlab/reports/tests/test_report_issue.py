"""Issuing a signed report: guards, content, signatures, workflow and audit."""

import re
from pathlib import Path

import pytest

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.intake.models import Application, Status
from portlab.reports import keystore
from portlab.reports.models import Report
from portlab.reports.payload import VerificationStatus, verify_payload
from portlab.reports.pdf_sign import verify_pdf
from portlab.reports.services import report_issue
from portlab.testing.models import Test


def test_issue_signs_stores_and_marks_the_application_reported(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    report = report_issue(actor=staff["signatory"], application=approved_application,
                          credential=SIGNED)
    assert re.fullmatch(r"TJ-TC-\d{4}-000001", report.number)
    assert (report.version, report.status, report.language) == (1, "issued", "zh-hans")
    code_group = "[0-9A-HJKMNP-TV-Z]{4}"
    assert re.fullmatch(rf"({code_group}-){{3}}{code_group}", report.verification_code)
    assert report.conclusion == "所判定项目均符合判定依据要求。"
    trust_list = keystore.trust_list_current()
    assert verify_payload(report.payload, trust_list).status is VerificationStatus.GENUINE
    stored = Report.objects.values_list("pdf", flat=True).get(pk=report.pk)
    assert verify_pdf(bytes(stored), trust_list).status is VerificationStatus.GENUINE
    approved_application.refresh_from_db()
    assert approved_application.status == Status.REPORTED
    assert list(approved_application.samples.values_list("status", flat=True)) == ["reported"]
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[-4:]
    assert actions == ["sample_status", "sample_retention_start", "application_status",
                       "report_issue"]


def test_second_report_of_the_lab_takes_the_next_number(
        staff: dict[str, User], issued_report: Report) -> None:
    application = issued_report.application
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    application.refresh_from_db()
    second = report_issue(actor=staff["signatory"], application=application, language="en",
                          credential=SIGNED)
    assert second.number == issued_report.number[:-6] + "000002"


def test_only_a_signatory_of_the_lab_issues(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    for who in ("reviewer", "customer", "analyst"):
        with pytest.raises(PermissionDenied, match="Authorized signatory"):
            report_issue(actor=staff[who], application=approved_application, credential=SIGNED)
    assert Report.objects.count() == 0
    approved_application.refresh_from_db()
    assert approved_application.status == Status.APPROVED


def test_an_application_not_yet_approved_cannot_be_reported(
        staff: dict[str, User], assigned_test: Test, keys_dir: Path) -> None:
    application = assigned_test.sample.application
    application.refresh_from_db()
    with pytest.raises(ApplicationError) as caught:
        report_issue(actor=staff["signatory"], application=application, credential=SIGNED)
    assert caught.value.field == "application"
    assert caught.value.message == (f"Application {application.number} is “In testing”; a report "
                                    "is issued only when all its results are approved.")
    assert Report.objects.count() == 0


def test_missing_keys_tell_the_administrator_what_to_run(
        settings, tmp_path: Path, staff: dict[str, User],
        approved_application: Application) -> None:
    settings.PORTLAB_KEYS_DIR = tmp_path / "empty"
    with pytest.raises(ApplicationError, match="must run `portlab keys-init`"):
        report_issue(actor=staff["signatory"], application=approved_application, credential=SIGNED)
    approved_application.refresh_from_db()
    assert (approved_application.status, Report.objects.count()) == (Status.APPROVED, 0)


def test_unknown_language_is_refused_by_name(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    with pytest.raises(ApplicationError) as caught:
        report_issue(actor=staff["signatory"], application=approved_application, language="fr",
                     credential=SIGNED)
    assert (caught.value.field, caught.value.message) == (
        "language", "Unknown report language “fr”; choose one of Chinese, English, Chinese and "
        "English.")


def test_english_report_carries_english_table_and_conclusion(
        issued_report: Report) -> None:
    assert issued_report.language == "en"
    assert issued_report.conclusion == "The judged items conform to the specification."
    pdf = bytes(Report.objects.values_list("pdf", flat=True).get(pk=issued_report.pk))
    assert pdf.startswith(b"%PDF-")
    # Noto Sans CJK SC cut to the report character set (portlab.reports.fonts), embedded; no
    # other font is listed (ReportLab's table cells default to a non-embedded Helvetica).
    assert page_fonts(pdf) == {"PortLabReportCJK-Regular": True, "PortLabReportCJK-Bold": True}


def embedded_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts embedded in the PDF, without their subset prefix (ABCDEF+)."""
    return {name for name, embedded in page_fonts(pdf).items() if embedded}


def page_fonts(pdf: bytes) -> dict[str, bool]:
    """Every font the pages' resources list, without its subset prefix (ABCDEF+), mapped to
    whether the PDF embeds it."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    fonts: dict[str, bool] = {}
    for page in reader.root["/Pages"]["/Kids"]:
        for font in page.get_object()["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            else:
                descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key.startswith("/FontFile") for key in descriptor.get_object())
            fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = embedded
    return fonts
