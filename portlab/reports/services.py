"""Reports: issue (render, sign, seal the workflow), amend (new version) and revoke."""

from __future__ import annotations

import hashlib
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
from portlab.reports import content, keystore, render, selectors
from portlab.reports.models import Report
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
    amendment_reason: str = ""


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


def _context(draft: Draft, tests: list, rows: list, conclusion: str, code: str, qr_text: str,
             issued_at) -> dict:
    application = draft.application
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
        "qr_modules": render.qr_modules(render.verification_url(qr_text)),
        "verify_url": render.verify_page_url(),
        "supersedes": draft.supersedes, "amendment_reason": draft.amendment_reason,
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


def _build(draft: Draft) -> Report:
    """Render and sign one report version (in its language) and store it."""
    application = draft.application
    signing_key, root_certificate = keystore.signing_material(application.lab)
    tests = content.approved_tests(application)
    if not tests:
        raise ApplicationError(_("Application %s has no approved results to report.")
                               % application.number, field="application")
    issued_at = timezone.now()
    # A bilingual report is laid out in Chinese; its labels and values add the English.
    language = (Report.Language.CHINESE if draft.language == Report.Language.BILINGUAL
                else draft.language)
    with translation.override(language):
        rows, conclusion = _table(draft, tests)
        payload = payload_build(
            report_number=draft.number, version=draft.version,
            issue_date=timezone.localdate(issued_at), lab_code=application.lab.code,
            applicant_name=application.enterprise.name, conclusion=conclusion,
            result_rows=_signed_rows(rows))
        qr_text = payload_sign(payload, signing_key)
        report = Report(number=draft.number, version=draft.version, application=application,
                        lab=application.lab, language=draft.language, issued_at=issued_at,
                        issued_by=draft.actor, key_id=signing_key.kid.hex(), payload=qr_text,
                        conclusion=conclusion, supersedes=draft.supersedes,
                        amendment_reason=draft.amendment_reason)
        unsigned = render.report_pdf(_context(draft, tests, rows, conclusion,
                                              report.verification_code, qr_text, issued_at))
    pdf = pdf_sign(unsigned, signing_key=signing_key,
                   root_certificate=root_certificate, qr_text=qr_text,
                   reason=f"Test report {draft.number} v{draft.version}")
    report.pdf, report.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    report.save(force_insert=True)
    return report


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
                 language: str = "zh-hans") -> Report:
    """Issue the signed report of an approved application (an electronic signature, "issued",
    by the signatory re-entering their password or a code); its samples become "reported"."""
    _check_language(language)
    application = _locked_application(application)
    guard_issue(actor=actor, obj=application)
    method = reauthenticate(actor, credential)
    draft = Draft(application=application, number=report_number(application), version=1,
                  language=language, actor=actor)
    report = _build(draft)
    _sign_issue(actor, report, method)
    _mark_reported(application, actor)
    _audit_issue(actor, report, "report_issue")
    for follower in ISSUE_FOLLOWERS:
        follower(application)
    transaction.on_commit(partial(notify_report_issued, application, report.number), robust=True)
    return report


def guard_report_amend(*, actor: User, obj: Report) -> None:
    """A signatory of the lab amends the current issued version."""
    _guard_current(actor, obj, "report.amend")


def guard_report_revoke(*, actor: User, obj: Report) -> None:
    """A signatory of the lab revokes the current issued version."""
    _guard_current(actor, obj, "report.revoke")


def _guard_current(actor: User, report: Report, action: str) -> None:
    access.require(actor, action, lab=report.lab)
    if report.status != Report.Status.ISSUED:
        raise ApplicationError(
            _("Report %(number)s version %(version)s is “%(status)s”; only the current issued "
              "version can be changed.")
            % {"number": report.number, "version": report.version,
               "status": report.get_status_display()},
            field="report",
        )


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    return reason.strip()


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
def report_amend(*, actor: User, report: Report, reason: str, credential: Credential,
                 language: str | None = None) -> Report:
    """Issue a new version of the report (signed, "issued"); the old one becomes superseded."""
    guard_report_amend(actor=actor, obj=report)
    reason = _require_reason(reason)
    language = language or report.language
    _check_language(language)
    method = reauthenticate(actor, credential)
    _retire(report, Report.Status.SUPERSEDED)
    draft = Draft(application=_locked_application(report.application), number=report.number,
                  version=report.version + 1, language=language, actor=actor,
                  supersedes=report, amendment_reason=reason)
    amended = _build(draft)
    _sign_issue(actor, amended, method)
    audit_record(actor=actor, action="report_supersede", entity=report,
                 before={"status": Report.Status.ISSUED},
                 after={"status": report.status, "by_version": amended.version}, reason=reason)
    _audit_issue(actor, amended, "report_amend", reason)
    return amended


@transaction.atomic
def report_revoke(*, actor: User, report: Report, reason: str) -> Report:
    """Withdraw a report (e.g. issued in error); verification then answers "revoked"."""
    guard_report_revoke(actor=actor, obj=report)
    reason = _require_reason(reason)
    _retire(report, Report.Status.REVOKED, revocation_reason=reason,
            revoked_at=timezone.now(), revoked_by=actor)
    audit_record(actor=actor, action="report_revoke", entity=report,
                 before={"status": Report.Status.ISSUED}, after={"status": report.status},
                 reason=reason)
    return report
