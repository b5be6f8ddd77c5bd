from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from portlab.accounts.api import SignatureIn
from portlab.core.api_params import page_limit
from portlab.core.ratelimit import rate_limited
from portlab.intake.selectors import application_get
from portlab.reports import amendments, selectors, services, verification

router = Router()


class VerifyIn(Schema):
    number: str = ""
    code: str = ""
    payload: str = ""


class VerdictOut(Schema):
    outcome: str
    message: str
    number: str
    version: int | None
    issue_date: str
    lab: str
    applicant: str
    conclusion: str
    revocation_reason: str
    current_version: int | None
    current_url: str
    amendment_reason: str
    changes: list[str]


class ReportOut(Schema):
    number: str
    version: int
    status: str
    application: str
    lab: str
    language: str
    issued_at: str
    issued_by: str
    key_id: str
    pdf_sha256: str
    revocation_reason: str


class IssueIn(SignatureIn):
    language: str = "zh-hans"
    # The content digest of the preview the signatory checked; the issue refuses otherwise.
    preview_digest: str | None = None


class ReasonIn(Schema):
    reason: str = ""
    language: str | None = None


class CorrectionIn(Schema):
    subject: str  # "application" or a sample number
    field: str
    value: str


class AmendIn(Schema):
    reason: str = ""
    tests: list[int] = []
    corrections: list[CorrectionIn] = []


class AmendmentOut(Schema):
    report: str
    version: int
    status: str
    reason: str
    corrections: list[dict]
    reopened: list[dict]


def report_out(report) -> ReportOut:
    return ReportOut(
        number=report.number, version=report.version, status=report.status,
        application=report.application.number, lab=report.lab.code, language=report.language,
        issued_at=report.issued_at.isoformat(), issued_by=report.issued_by.username,
        key_id=report.key_id, pdf_sha256=report.pdf_sha256,
        revocation_reason=report.revocation_reason,
    )


@router.post("/verify", response=VerdictOut, auth=None)
@rate_limited("verify", as_json=True)
def verify(request: HttpRequest, payload: VerifyIn):
    """Public: verify by report number + verification code, or by the signed QR payload."""
    if payload.payload:
        return verification.verify_by_payload(payload.payload).as_dict()
    return verification.verify_by_code(payload.number, payload.code).as_dict()


@router.post("/verify/pdf", response=VerdictOut, auth=None)
@rate_limited("verify", as_json=True)
def verify_pdf(request: HttpRequest, file: File[UploadedFile]):
    """Public: verify a report PDF (multipart field "file", 10 MB at most)."""
    verification.check_upload(b"%PDF-", size=file.size)
    return verification.verify_by_pdf(file.read()).as_dict()


@router.get("/reports", response=list[ReportOut])
def reports(request: HttpRequest, limit: int = page_limit(100, 1000)):
    rows = selectors.reports_visible_to(request.user)[:limit]
    return [report_out(report) for report in rows]


@router.post("/applications/{number}/report", response=ReportOut)
def report_issue(request: HttpRequest, number: str, payload: IssueIn):
    application = application_get(request.user, number)
    return report_out(services.report_issue(actor=request.user, application=application,
                                            credential=payload.credential(),
                                            language=payload.language,
                                            preview_digest=payload.preview_digest))


@router.post("/reports/{number}/v{version}/amend", response=AmendmentOut)
def report_amend(request: HttpRequest, number: str, version: int, payload: AmendIn):
    """Open a correction: reopen tests and/or correct data, with the reason."""
    report = selectors.report_get(request.user, number, version)
    amendment = amendments.amendment_open(
        actor=request.user, report=report, reason=payload.reason, test_ids=payload.tests,
        corrections=[amendments.Correction(c.subject, c.field, c.value)
                     for c in payload.corrections])
    return AmendmentOut(report=report.number, version=report.version, status=amendment.status,
                        reason=amendment.reason, corrections=amendment.corrections,
                        reopened=amendment.reopened)


@router.post("/reports/{number}/v{version}/revoke", response=ReportOut)
def report_revoke(request: HttpRequest, number: str, version: int, payload: ReasonIn):
    report = selectors.report_get(request.user, number, version)
    return report_out(services.report_revoke(actor=request.user, report=report,
                                             reason=payload.reason))
