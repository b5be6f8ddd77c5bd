"""Amending (new version, old one superseded) and revoking a report."""

import pytest

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.reports.models import Report
from portlab.reports.render import verification_url
from portlab.reports.services import report_amend, report_revoke
from portlab.reports.verification import verify_by_code, verify_by_payload


def test_amend_issues_version_two_and_supersedes_version_one(
        staff: dict[str, User], issued_report: Report) -> None:
    amended = report_amend(actor=staff["signatory"], report=issued_report,
                           reason="Applicant name corrected", credential=SIGNED)
    issued_report.refresh_from_db()
    assert (amended.number, amended.version, amended.status) == (
        issued_report.number, 2, "issued")
    assert (issued_report.status, amended.supersedes_id) == ("superseded", issued_report.pk)
    assert amended.verification_code != issued_report.verification_code
    old = verify_by_code(issued_report.number, issued_report.verification_code)
    assert (old.outcome, old.version, old.current_version) == ("superseded", 1, 2)
    assert old.current_url == verification_url(amended.payload)
    assert verify_by_payload(issued_report.payload).outcome == "superseded"
    assert verify_by_payload(amended.payload).outcome == "genuine"
    assert AuditEvent.objects.filter(action="report_supersede",
                                     reason="Applicant name corrected").count() == 1


def test_amend_needs_a_reason_and_a_current_version(
        staff: dict[str, User], issued_report: Report) -> None:
    with pytest.raises(ApplicationError) as caught:
        report_amend(actor=staff["signatory"], report=issued_report, reason="  ",
                     credential=SIGNED)
    assert (caught.value.field, caught.value.message) == ("reason", "Give the reason.")
    report_amend(actor=staff["signatory"], report=issued_report, reason="typo", credential=SIGNED)
    with pytest.raises(ApplicationError, match="is “Superseded”; only the current issued"):
        report_amend(actor=staff["signatory"], report=issued_report, reason="again",
                     credential=SIGNED)
    assert Report.objects.count() == 2


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
