"""Correcting a report (reopen results or data, review and approval again, version 2 states
what changed and why) and revoking one."""

import io

import pdfplumber
import pytest

from conftest import SIGNED, make_user
from portlab.accounts.models import Role, User
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, NotFound, PermissionDenied
from portlab.intake.models import Application
from portlab.network.models import Lab
from portlab.reports import selectors
from portlab.reports.amendments import Correction, amendment_open
from portlab.reports.models import Amendment, Report
from portlab.reports.render import verification_url
from portlab.reports.services import report_issue, report_revoke
from portlab.reports.verification import verify_by_code, verify_by_payload
from portlab.testing import services as testing
from portlab.testing.models import Review, Test
from portlab.testing.results import ResultInput

REASON = "Lead re-measured: calibration standard was mislabelled"


def _pdf_text(report: Report) -> str:
    pdf = bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() for page in document.pages)


def _reenter_and_approve(staff: dict[str, User], test: Test, value: str) -> None:
    testing.result_enter(actor=staff["analyst"], test=test, reason="re-measured",
                 data=ResultInput(kind="numeric", value=value, uncertainty="0.006"))
    testing.test_review(actor=staff["reviewer"], test=test, decision="accept",
                expected_version=test.version, credential=SIGNED)
    testing.test_approve(actor=staff["signatory"], test=test, decision="accept",
                 expected_version=test.version, credential=SIGNED)


def test_a_correction_reopens_the_result_and_version_two_states_the_change(
        staff: dict[str, User], issued_report: Report, assigned_test: Test) -> None:
    amendment = amendment_open(
        actor=staff["signatory"], report=issued_report, reason=REASON,
        test_ids=[assigned_test.pk],
        corrections=[Correction("application", "goods_description", "Long-grain rice")])
    assigned_test.refresh_from_db()
    application = Application.objects.get(pk=issued_report.application_id)
    assert (assigned_test.status, application.status) == ("assigned", "in_testing")
    assert application.goods_description == "Long-grain rice"
    returned = Review.objects.filter(test=assigned_test, decision="return").get()
    assert returned.comment == REASON  # the analyst's list shows why it came back
    issued_report.refresh_from_db()
    assert issued_report.status == "issued"  # valid until the corrected version is issued

    _reenter_and_approve(staff, assigned_test, "0.052")
    application.refresh_from_db()
    assert application.status == "approved"
    amended = report_issue(actor=staff["signatory"], application=application, language="en",
                           credential=SIGNED)

    issued_report.refresh_from_db()
    amendment.refresh_from_db()
    assert (amended.number, amended.version, amended.supersedes_id) == (
        issued_report.number, 2, issued_report.pk)
    assert (issued_report.status, amendment.status, amendment.issued_id) == (
        "superseded", "issued", amended.pk)
    assert amendment.changes == [
        "Goods: “泰国茉莉香米” → “Long-grain rice”",
        f"Lead, sample {assigned_test.sample.number}: 0.041 mg/kg → 0.052 mg/kg"]
    text = " ".join(_pdf_text(amended).split())
    assert (f"This report replaces {issued_report.number} version 1, which is no longer "
            "valid.") in text
    assert "0.041 mg/kg → 0.052 mg/kg" in text and f"Reason: {REASON}" in text
    old = verify_by_code(issued_report.number, issued_report.verification_code)
    assert (old.outcome, old.version, old.current_version) == ("superseded", 1, 2)
    assert old.current_url == verification_url(amended.payload)
    new = verify_by_payload(amended.payload)
    assert (new.outcome, new.amendment_reason, new.changes) == (
        "genuine", REASON, tuple(amendment.changes))
    assert AuditEvent.objects.filter(action="report_supersede", reason=REASON).count() == 1


def test_a_data_only_correction_needs_no_retest(
        staff: dict[str, User], issued_report: Report, assigned_test: Test) -> None:
    sample = assigned_test.sample
    amendment_open(actor=staff["signatory"], report=issued_report, reason="Typo in the label",
                   test_ids=[], corrections=[Correction(sample.number, "description",
                                                        "Rice, bag 2 of 3")])
    application = Application.objects.get(pk=issued_report.application_id)
    assert application.status == "approved"
    amended = report_issue(actor=staff["signatory"], application=application, language="en",
                           credential=SIGNED)
    assert amended.version == 2
    assert Amendment.objects.get().changes == [
        f"{sample.number} Sample description: “{sample.description}” → “Rice, bag 2 of 3”"]


@pytest.mark.parametrize(("reason", "tests", "field", "message"), [
    ("  ", True, "reason", "Give the reason."),
    ("typo", False, "tests",
     "Choose the results to reopen or correct a value; nothing would change."),
])
def test_a_correction_without_a_reason_or_without_a_choice_is_refused(
        staff: dict[str, User], issued_report: Report, assigned_test: Test, reason: str,
        tests: bool, field: str, message: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        amendment_open(actor=staff["signatory"], report=issued_report, reason=reason,
                       test_ids=[assigned_test.pk] if tests else [],
                       corrections=[Correction("application", "goods_description",
                                               "泰国茉莉香米")])  # the same value
    assert (caught.value.field, caught.value.message) == (field, message)
    assigned_test.refresh_from_db()
    assert (assigned_test.status, Amendment.objects.count()) == ("approved", 0)


def test_unknown_fields_and_tests_not_on_the_report_are_refused(
        staff: dict[str, User], issued_report: Report, assigned_test: Test) -> None:
    with pytest.raises(ApplicationError, match="“status” of “application” cannot be corrected"):
        amendment_open(actor=staff["signatory"], report=issued_report, reason="x",
                       test_ids=[], corrections=[Correction("application", "status", "draft")])
    with pytest.raises(ApplicationError, match="Only approved results on this report"):
        amendment_open(actor=staff["signatory"], report=issued_report, reason="x",
                       test_ids=[assigned_test.pk + 999], corrections=[])
    assert Application.objects.get(pk=issued_report.application_id).status == "reported"


def test_a_report_of_another_lab_cannot_be_corrected(
        staff: dict[str, User], issued_report: Report, assigned_test: Test,
        other_lab: Lab) -> None:
    outsider = make_user("outsider", Role.SIGNATORY, other_lab)
    with pytest.raises(NotFound):
        selectors.report_get(outsider, issued_report.number, issued_report.version)
    with pytest.raises(PermissionDenied):
        amendment_open(actor=outsider, report=issued_report, reason="x",
                       test_ids=[assigned_test.pk], corrections=[])
    assigned_test.refresh_from_db()
    assert assigned_test.status == "approved"


def test_one_correction_at_a_time_and_only_of_the_current_version(
        staff: dict[str, User], issued_report: Report, assigned_test: Test) -> None:
    amendment_open(actor=staff["signatory"], report=issued_report, reason="first",
                   test_ids=[assigned_test.pk], corrections=[])
    with pytest.raises(ApplicationError, match="is already being corrected"):
        amendment_open(actor=staff["signatory"], report=issued_report, reason="second",
                       test_ids=[], corrections=[Correction("application",
                                                            "goods_description", "x")])
    report_revoke(actor=staff["signatory"], report=issued_report, reason="mix-up")
    with pytest.raises(ApplicationError, match="is “Revoked”; only the current issued"):
        amendment_open(actor=staff["signatory"], report=issued_report, reason="again",
                       test_ids=[], corrections=[])


def test_revoke_answers_revoked_with_the_reason(
        staff: dict[str, User], issued_report: Report) -> None:
    report_revoke(actor=staff["signatory"], report=issued_report,
                  reason="Sample mix-up at reception")
    verdict = verify_by_code(issued_report.number, issued_report.verification_code.lower())
    assert (verdict.outcome, verdict.revocation_reason) == (
        "revoked", "Sample mix-up at reception")
    assert verdict.message.startswith("Revoked: the lab withdrew this report on ")
    event = AuditEvent.objects.get(action="report_revoke")
    assert (event.before, event.after) == ({"status": "issued"}, {"status": "revoked"})


def test_revoke_is_for_signatories_and_needs_a_reason(
        staff: dict[str, User], issued_report: Report) -> None:
    with pytest.raises(PermissionDenied):
        report_revoke(actor=staff["customer"], report=issued_report, reason="no")
    with pytest.raises(ApplicationError) as caught:
        report_revoke(actor=staff["signatory"], report=issued_report, reason="")
    assert caught.value.field == "reason"
    issued_report.refresh_from_db()
    assert issued_report.status == "issued"

