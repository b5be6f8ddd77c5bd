"""A report issue is an electronic signature ("issued"), and the report lists who signed what,
when (issue 11, item 4)."""

from django.utils import timezone

from conftest import SIGNED
from portlab.accounts.models import Signature, User
from portlab.accounts.signatures import Credential
from portlab.core.errors import PermissionDenied
from portlab.intake.models import Application
from portlab.reports import content, selectors
from portlab.reports.models import Report
from portlab.reports.services import report_issue


def test_a_wrong_password_issues_nothing(staff: dict[str, User],
                                         approved_application: Application, keys_dir) -> None:
    try:
        report_issue(actor=staff["signatory"], application=approved_application,
                     credential=Credential(password="guess"))
    except PermissionDenied as error:
        assert error.field == "password"
    else:
        raise AssertionError("issued with a wrong password")
    approved_application.refresh_from_db()
    assert approved_application.status == "approved"
    assert not Report.objects.exists()
    assert not Signature.objects.filter(meaning="issued").exists()


def test_the_report_lists_who_signed_what_and_when(staff: dict[str, User],
                                                   issued_report: Report) -> None:
    signatures = list(selectors.signatures_of_application(issued_report.application))
    assert [(str(s.signer), s.meaning, s.entity_type) for s in signatures] == [
        ("reviewer", "reviewed", "testing.test"), ("signatory", "approved", "testing.test"),
        ("signatory", "issued", "reports.report")]
    assert signatures[-1].entity_id == str(issued_report.pk)
    now = timezone.now()
    lines = content.signature_lines(signatures, staff["signatory"], now)
    assert [(line.signer, line.meaning, line.records) for line in lines] == [
        ("reviewer", "Reviewed", 1), ("signatory", "Approved", 1), ("signatory", "Issued", 1)]
    assert lines[-1].at == now and lines[0].at == signatures[0].at


def test_reissuing_is_signed_too(staff: dict[str, User], issued_report: Report) -> None:
    from portlab.reports.services import report_reissue

    amended = report_reissue(actor=staff["signatory"], report=issued_report, reason="typo",
                             credential=SIGNED)
    assert Signature.objects.filter(meaning="issued", entity_id=str(amended.pk),
                                    entity_version=2).count() == 1
