"""Reports: issue (render, sign, seal the workflow), amend (new version) and revoke."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import Signature, User
from portlab.accounts.signatures import (
    Credential,
    Signed,
    reauthenticate,
    signatures_record,
    signed,
)
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, ConflictError
from portlab.core.numbering import next_numbers
from portlab.core.versioning import save_versioned
from portlab.intake.custody import sample_retention_start
from portlab.intake.models import DROPPED_STATUSES, Application, Status
from portlab.intake.notifications import notify_report_issued
from portlab.reports import amendments, content, keystore, render, selectors
from portlab.reports.guards import guard_report_amend, guard_report_revoke, require_reason
from portlab.reports.models import Amendment, Report
from portlab.reports.payload import FORMAT_PRINTED_FIELDS, payload_build, payload_sign
from portlab.reports.pdf_sign import pdf_sign
from portlab.testing.rollup import application_sync_status

# Work that apps above reports do when a report is issued, inside the issuing transaction (risk
# labels the declaration the sample came from). They register here from their AppConfig.ready,
# so reports never imports them.
ISSUE_FOLLOWERS: list[Callable[[Application], object]] = []


def report_issue_follow(follower: Callable[[Application], object]) -> None:
    """Run `follower(application)` after every report issue, in the same transaction."""
    if follower not in ISSUE_FOLLOWERS:
        ISSUE_FOLLOWERS.append(follower)

# The signed payload's format for new reports. Format 1 (five fields per row) is kept as a code
# path so that tests can issue a report exactly as before and show it still verifies.
PAYLOAD_FORMAT = FORMAT_PRINTED_FIELDS


def _signed_rows(rows: list[content.TableRow]) -> list:
    if PAYLOAD_FORMAT == FORMAT_PRINTED_FIELDS:
        return [row.signed() for row in rows]
    return [row.signed_format_1() for row in rows]


@dataclass(frozen=True)
class Draft:
    """A report version before it is stored: its identity and who issues it."""

    application: Application
    number: str
    version: int
    language: str
    actor: User
    supersedes: Report | None = None
    amendment: Amendment | None = None
    reissue_reason: str = ""

    @property
    def amendment_reason(self) -> str:
        return self.amendment.reason if self.amendment else self.reissue_reason


@dataclass(frozen=True)
class Prepared:
    """A draft's content as it will be printed, and the digest of that content."""

    tests: list
    rows: list[content.TableRow]
    conclusion: str
    changes: list[str]
    digest: str


def report_number(application: Application) -> str:
    """TJ-TC-2026-000001: the lab code, the year and a counter per lab and year."""
    year, (number,) = next_numbers(f"report:{application.lab.code}")
    return f"{application.lab.code}-{year}-{number:06d}"


def _check_language(language: str) -> None:
    if language not in Report.Language.values:
        raise ApplicationError(
            _("Unknown report language “%(language)s”; choose one of %(choices)s.")
            % {"language": language,
               "choices": ", ".join(str(label) for label in Report.Language.labels)},
            field="language",
        )


def guard_issue(*, actor: User, obj: Application) -> None:
    """An authorized signatory of the lab issues the report of a fully approved application."""
    application = obj
    access.require(actor, "report.issue", lab=application.lab)
    if application.status != Status.APPROVED:
        raise ApplicationError(
            _("Application %(number)s is “%(status)s”; a report is issued only when all its "
              "results are approved.")
            % {"number": application.number, "status": application.get_status_display()},
            field="application",
        )


def _context(draft: Draft, prepared: Prepared, code: str, qr_text: str, issued_at) -> dict:
    application = draft.application
    tests, rows, conclusion, changes = (prepared.tests, prepared.rows, prepared.conclusion,
                                        prepared.changes)
    return {
        "language": draft.language, "number": draft.number, "version": draft.version,
        "issue_date": timezone.localdate(issued_at), "issued_at": timezone.localtime(issued_at),
        "lab": application.lab, "application": application,
        "enterprise": application.enterprise,
        "samples": application.samples.exclude(status__in=DROPPED_STATUSES)
        .order_by("number"),
        "rows": rows, "conclusion": conclusion,
        "accredited_any": any(row.accredited for row in rows),
        "all_accredited": all(row.accredited for row in rows),
        "rules": sorted({row.decision_rule for row in rows if row.decision_rule}),
        "performer_notes": content.performer_notes(rows),
        "sources": content.specification_sources(application, tests),
        "people": content.people(tests), "signatory": str(draft.actor),
        "signatures": content.signature_lines(
            selectors.signatures_of_application(application), draft.actor, issued_at),
        "verification_code": code,
        "qr_modules": render.qr_modules(render.verification_url(qr_text)) if qr_text else None,
        "verify_url": render.verify_page_url(),
        "supersedes": draft.supersedes, "amendment_reason": draft.amendment_reason,
        "changes": changes, "preview": False,
    }


def _table(draft: Draft, tests: list) -> tuple[list[content.TableRow], str]:
    """Result rows and conclusion in the report's language; on a bilingual report each text
    reads "中文\nEnglish" (the English taken from the same data in English)."""
    application = draft.application
    if draft.language != Report.Language.BILINGUAL:
        rows = content.table_rows(application, tests)
        return rows, content.conclusion_text(rows)
    with translation.override("en"):
        english = content.table_rows(application, tests)
        english_conclusion = content.conclusion_text(english)
    with translation.override(Report.Language.CHINESE):
        chinese = content.table_rows(application, tests)
        conclusion = content.conclusion_text(chinese)
    return content.bilingual_rows(chinese, english), f"{conclusion}\n{english_conclusion}"


def _layout_language(draft: Draft) -> str:
    """A bilingual report is laid out in Chinese; its labels and values add the English."""
    return (Report.Language.CHINESE if draft.language == Report.Language.BILINGUAL
            else draft.language)


def content_digest(draft: Draft, rows: list[content.TableRow], conclusion: str,
                   changes: list[str], tests: list) -> str:
    """SHA-256 of everything the report prints except its number, dates, code and QR: what a
    signatory saw in the preview must be what the signature issues."""
    application, enterprise = draft.application, draft.application.enterprise
    samples = application.samples.exclude(status__in=DROPPED_STATUSES).order_by("number")
    printed = {
        "language": draft.language, "version": draft.version,
        "applicant": [enterprise.name, enterprise.credit_code],
        "application": [application.number, application.goods_description,
                        application.hs_code, application.declaration_number,
                        application.purpose, application.product_category_id],
        "samples": [[s.number, s.description, s.quantity] for s in samples],
        "rows": [list(dataclasses.astuple(row)) for row in rows], "conclusion": conclusion,
        "people": content.people(tests), "amendment_reason": draft.amendment_reason,
        "changes": changes, "sources": content.specification_sources(application, tests),
    }
    return hashlib.sha256(json.dumps(printed, ensure_ascii=False, sort_keys=True,
                                     default=str).encode()).hexdigest()


def _prepare(draft: Draft) -> Prepared:
    """The rows, conclusion and changes of a draft in the active language, and their digest."""
    tests = content.approved_tests(draft.application)
    if not tests:
        raise ApplicationError(_("Application %s has no approved results to report.")
                               % draft.application.number, field="application")
    rows, conclusion = _table(draft, tests)
    changes = amendments.change_lines(draft.amendment, rows, tests) if draft.amendment else []
    return Prepared(tests, rows, conclusion, changes,
                    content_digest(draft, rows, conclusion, changes, tests))


def _check_preview(prepared: Prepared, preview_digest: str | None) -> None:
    if preview_digest is not None and preview_digest != prepared.digest:
        raise ConflictError(_("The report's content changed after your preview; nothing was "
                              "issued. Open the preview again, check it and sign."),
                            field="preview")


def _build(draft: Draft, preview_digest: str | None = None) -> Report:
    """Render and sign one report version (in its language) and store it; refuse if its
    content is not the one previewed (when a preview digest is given)."""
    application = draft.application
    signing_key, root_certificate = keystore.signing_material(application.lab)
    issued_at = timezone.now()
    with translation.override(_layout_language(draft)):
        prepared = _prepare(draft)
        _check_preview(prepared, preview_digest)
        payload = payload_build(
            report_number=draft.number, version=draft.version,
            issue_date=timezone.localdate(issued_at), lab_code=application.lab.code,
            applicant_name=application.enterprise.name, conclusion=prepared.conclusion,
            result_rows=_signed_rows(prepared.rows))
        qr_text = payload_sign(payload, signing_key)
        report = Report(number=draft.number, version=draft.version, application=application,
                        lab=application.lab, language=draft.language, issued_at=issued_at,
                        issued_by=draft.actor, key_id=signing_key.kid.hex(), payload=qr_text,
                        conclusion=prepared.conclusion, supersedes=draft.supersedes,
                        amendment_reason=draft.amendment_reason)
        unsigned = render.report_pdf(_context(draft, prepared, report.verification_code,
                                              qr_text, issued_at))
    pdf = pdf_sign(unsigned, signing_key=signing_key,
                   root_certificate=root_certificate, qr_text=qr_text,
                   reason=f"Test report {draft.number} v{draft.version}")
    report.pdf, report.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    report.save(force_insert=True)
    if draft.amendment is not None:
        draft.amendment.status, draft.amendment.issued = Amendment.Status.ISSUED, report
        draft.amendment.changes = prepared.changes
        draft.amendment.save(update_fields=["status", "issued", "changes"])
    return report


@dataclass(frozen=True)
class Preview:
    """The unsigned, watermarked PDF a signatory checks before signing, and its digest."""

    pdf: bytes
    digest: str
    version: int
    changes: list[str]


def report_preview(*, actor: User, application: Application, language: str) -> Preview:
    """What issuing would print now (no number, no code; watermarked "preview / 预览")."""
    _check_language(language)
    guard_issue(actor=actor, obj=application)
    draft = _issue_draft(application, actor, language, number="PREVIEW")
    with translation.override(_layout_language(draft)):
        prepared = _prepare(draft)
        context = _context(draft, prepared, "XXXX-XXXX-XXXX-XXXX", "", timezone.now())
        context.update(preview=True, qr_modules=render.qr_modules("PREVIEW"))
        pdf = render.report_pdf(context)
    return Preview(pdf, prepared.digest, draft.version, prepared.changes)


def _issue_draft(application: Application, actor: User, language: str,
                 number: str | None = None) -> Draft:
    """Version 1 with a new number, or, while a correction is open, the next version of the
    corrected report."""
    amendment = amendments.application_open_amendment(application)
    if amendment is None:
        return Draft(application=application, language=language, actor=actor, version=1,
                     number=number or report_number(application))
    old = amendment.report
    return Draft(application=application, number=number or old.number,
                 version=old.version + 1, language=language, actor=actor, supersedes=old,
                 amendment=amendment)


def _mark_reported(application: Application, actor: User) -> None:
    for sample in application.samples.filter(status=Status.APPROVED):
        sample.status = Status.REPORTED
        save_versioned(sample, None, ["status"])
        audit_record(actor=actor, action="sample_status", entity=sample,
                     before={"status": Status.APPROVED}, after={"status": Status.REPORTED})
        failed = sample.tests.filter(result__conformity__in=content.FAILING).exists()
        sample_retention_start(actor=actor, sample=sample, reported_on=timezone.localdate(),
                               failed=failed)
    application_sync_status(application, actor=actor)


def _locked_application(application: Application) -> Application:
    return (Application.objects.select_for_update().select_related("lab", "enterprise")
            .get(pk=application.pk))


def _audit_issue(actor: User, report: Report, action: str, reason: str = "") -> None:
    audit_record(actor=actor, action=action, entity=report, reason=reason,
                 after={"number": report.number, "version": report.version,
                        "status": report.status, "kid": report.key_id,
                        "pdf_sha256": report.pdf_sha256, "application": report.application.number})


def _sign_issue(actor, report: Report, method: str) -> None:
    signatures_record(signer=actor, method=method, meaning=Signature.Meaning.ISSUED,
                      records=[Signed(report, report.version)])


@signed
@transaction.atomic
def report_issue(*, actor: User, application: Application, credential: Credential,
                 language: str = "zh-hans", preview_digest: str | None = None) -> Report:
    """Issue the signed report of an approved application (an electronic signature, "issued",
    by the signatory re-entering their password or a code); its samples become "reported".
    With `preview_digest` it issues exactly the content previewed or nothing. While a
    correction is open it issues the next version, which supersedes the corrected one."""
    _check_language(language)
    application = _locked_application(application)
    guard_issue(actor=actor, obj=application)
    method = reauthenticate(actor, credential)
    return _issue_signed(actor, application, method, language, preview_digest)


@transaction.atomic
def report_issue_authorised(*, actor: User, application: Application, method: str,
                            language: str) -> Report:
    """Issue a report for a signatory who re-authenticated (by `method`) for a whole batch
    when submitting it (reports/batch.py checks that grant); the same checks and signature
    "issued" as `report_issue`, in one transaction of its own."""
    _check_language(language)
    application = _locked_application(application)
    guard_issue(actor=actor, obj=application)
    return _issue_signed(actor, application, method, language, None)


def _issue_signed(actor: User, application: Application, method: str, language: str,
                  preview_digest: str | None) -> Report:
    draft = _issue_draft(application, actor, language)
    if draft.supersedes is not None:
        _retire(draft.supersedes, Report.Status.SUPERSEDED)
    report = _build(draft, preview_digest)
    _sign_issue(actor, report, method)
    _mark_reported(application, actor)
    if draft.supersedes is not None:
        audit_record(actor=actor, action="report_supersede", entity=draft.supersedes,
                     before={"status": Report.Status.ISSUED},
                     after={"status": Report.Status.SUPERSEDED, "by_version": report.version},
                     reason=draft.amendment_reason)
    _audit_issue(actor, report, "report_amend" if draft.supersedes else "report_issue",
                 draft.amendment_reason)
    for follower in ISSUE_FOLLOWERS:
        follower(application)
    transaction.on_commit(partial(notify_report_issued, application, report.number), robust=True)
    return report


def _retire(report: Report, status: str, **fields) -> None:
    """Move an issued version to `status`; refuse if someone else changed it first."""
    changed = Report.objects.filter(pk=report.pk, status=Report.Status.ISSUED).update(
        status=status, **fields)
    if changed == 0:
        raise ConflictError(_("Report %s was changed by someone else. Reload it.")
                            % report.number, field="report")
    report.status = status
    for name, value in fields.items():
        setattr(report, name, value)


@signed
@transaction.atomic
def report_reissue(*, actor: User, report: Report, reason: str, credential: Credential,
                   language: str | None = None) -> Report:
    """Issue the same content again as a new version (another language, or a new signing key
    after a compromise); the old one becomes superseded. To correct content, open an
    amendment (amendments.amendment_open) instead."""
    guard_report_amend(actor=actor, obj=report)
    reason = require_reason(reason)
    language = language or report.language
    _check_language(language)
    method = reauthenticate(actor, credential)
    _retire(report, Report.Status.SUPERSEDED)
    draft = Draft(application=_locked_application(report.application), number=report.number,
                  version=report.version + 1, language=language, actor=actor,
                  supersedes=report, reissue_reason=reason)
    reissued = _build(draft)
    _sign_issue(actor, reissued, method)
    audit_record(actor=actor, action="report_supersede", entity=report,
                 before={"status": Report.Status.ISSUED},
                 after={"status": report.status, "by_version": reissued.version}, reason=reason)
    _audit_issue(actor, reissued, "report_reissue", reason)
    return reissued


@transaction.atomic
def report_revoke(*, actor: User, report: Report, reason: str) -> Report:
    """Withdraw a report (e.g. issued in error); verification then answers "revoked"."""
    guard_report_revoke(actor=actor, obj=report)
    reason = require_reason(reason)
    _retire(report, Report.Status.REVOKED, revocation_reason=reason,
            revoked_at=timezone.now(), revoked_by=actor)
    audit_record(actor=actor, action="report_revoke", entity=report,
                 before={"status": Report.Status.ISSUED}, after={"status": report.status},
                 reason=reason)
    return report
