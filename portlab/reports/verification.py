"""Public verification: is this report genuine, current, superseded, revoked, altered or unknown?

Three ways in: report number + verification code, the signed QR payload, or the PDF itself.
An answer reveals only what the report itself shows on its face, and a wrong code for an
existing number gets exactly the answer of a number that does not exist.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.reports import keystore, selectors
from portlab.reports.cose import QR_PREFIX, CoseError, qr_text_from_compact
from portlab.reports.keys import SigningKeyError
from portlab.reports.models import CODE_LENGTH, Report
from portlab.reports.payload import VerificationStatus, verify_payload
from portlab.reports.pdf_sign import PdfVerificationError, verify_pdf
from portlab.reports.render import verification_url
from portlab.reports.selectors import PublicRecord
from portlab.reports.trust_list import TrustList, TrustListError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PAYLOAD_CHARS = 4096
_CODE_CHARACTERS = re.compile(r"[\s-]+")


class UploadTooLarge(ApplicationError):
    status_code = 413


class VerificationUnavailable(ApplicationError):
    status_code = 503


class Outcome(enum.StrEnum):
    GENUINE = "genuine"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"
    ALTERED = "altered"
    UNKNOWN = "unknown"
    # Signed with a lab key declared compromised on or before the report's issue date.
    KEY_REVOKED = "key_revoked"


@dataclass(frozen=True)
class Verdict:
    outcome: str
    message: str
    number: str = ""
    version: int | None = None
    issue_date: str = ""
    lab: str = ""
    applicant: str = ""
    conclusion: str = ""
    revocation_reason: str = ""
    current_version: int | None = None
    current_url: str = ""
    # A corrected version: the reason and what it changed, as the report prints them.
    amendment_reason: str = ""
    changes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)


def _unknown() -> Verdict:
    return Verdict(Outcome.UNKNOWN, _("Unknown: no report of this network matches what you "
                                      "entered. Check the number and the verification code."))


def _altered() -> Verdict:
    return Verdict(Outcome.ALTERED, _("Altered: the content does not match the signature of "
                                      "the issuing lab. Do not rely on this document."))


def _facts(report: PublicRecord) -> dict:
    """What the report shows on its face, for comparing with the paper in hand."""
    return {"number": report.number, "version": report.version,
            "issue_date": timezone.localdate(report.issued_at).isoformat(),
            "lab": report.lab_name, "applicant": report.applicant,
            "conclusion": report.conclusion, "amendment_reason": report.amendment_reason,
            "changes": report.changes}


def _key_compromised_since(report: PublicRecord):
    """The date from which the report's signing key is declared compromised, if it is and the
    report is dated on or after it."""
    try:
        trusted = keystore.trust_list_current().find(bytes.fromhex(report.key_id))
    except (SigningKeyError, TrustListError, OSError, ValueError):
        return None  # no trust list on this host: no key of it can have been declared lost
    if trusted is None or trusted.compromised_since is None:
        return None
    since = trusted.compromised_since.date()
    return since if timezone.localdate(report.issued_at) >= since else None


def verdict_for(report: PublicRecord) -> Verdict:
    """The answer for a report found in the register."""
    if report.status == Report.Status.REVOKED:
        return Verdict(Outcome.REVOKED,
                       _("Revoked: the lab withdrew this report on %(date)s.")
                       % {"date": timezone.localdate(report.revoked_at).isoformat()},
                       revocation_reason=report.revocation_reason, **_facts(report))
    if (since := _key_compromised_since(report)) is not None:
        return Verdict(Outcome.KEY_REVOKED,
                       _("Signature key revoked: the key that signed this report was declared "
                         "compromised from %(date)s. Do not rely on it; ask %(lab)s for a "
                         "re-issued report.") % {"date": since.isoformat(),
                                                 "lab": report.lab_name},
                       **_facts(report))
    if report.status == Report.Status.SUPERSEDED:
        version, payload = selectors.report_current_of(report.number)
        return Verdict(Outcome.SUPERSEDED,
                       _("Genuine but superseded: version %(version)s replaces this version. "
                         "Rely only on the current version.") % {"version": version},
                       current_version=version, current_url=verification_url(payload),
                       **_facts(report))
    return Verdict(Outcome.GENUINE,
                   _("Genuine and current: issued by %(lab)s and valid.")
                   % {"lab": report.lab_name}, **_facts(report))


def normalise_code(code: str) -> str:
    raw = _CODE_CHARACTERS.sub("", code).upper()
    return "-".join(raw[start:start + 4] for start in range(0, len(raw), 4))


def verify_by_code(number: str, code: str) -> Verdict:
    number, code = number.strip(), normalise_code(code)
    if not number or len(code) != CODE_LENGTH + CODE_LENGTH // 4 - 1:
        return _unknown()
    report = selectors.report_by_code(number, code)
    return _unknown() if report is None else verdict_for(report)


def _trust_list() -> TrustList:
    try:
        return keystore.trust_list_current()
    except (SigningKeyError, TrustListError, OSError) as error:
        raise VerificationUnavailable(
            _("Verification by signature is not available: this server has no trust list.")
        ) from error


def _registered(number: str, version: int, payload_text: str = "",
                pdf_sha256: str = "") -> Verdict:
    report = selectors.report_by_version(number, version)
    if report is None:
        return _unknown()
    if (payload_text and report.payload != payload_text) or (
            pdf_sha256 and report.pdf_sha256 != pdf_sha256):
        return _altered()
    return verdict_for(report)


def _crypto_failure(status: VerificationStatus, *, from_pdf: bool) -> Verdict:
    if status in (VerificationStatus.UNKNOWN_KEY, VerificationStatus.UNSIGNED):
        return _unknown()
    if status is VerificationStatus.MALFORMED and not from_pdf:
        return _unknown()
    return _altered()


def verify_by_payload(qr_text: str) -> Verdict:
    """Check the signed QR payload: the "PL1:" text (the old link's p= value) or the Base32
    path of the printed link."""
    qr_text = qr_text.strip()
    if not qr_text or len(qr_text) > MAX_PAYLOAD_CHARS:
        return _unknown()
    if not qr_text.startswith(QR_PREFIX):
        try:
            qr_text = qr_text_from_compact(qr_text)
        except CoseError:
            return _unknown()
    result = verify_payload(qr_text, _trust_list())
    if result.status is VerificationStatus.KEY_REVOKED and result.payload is not None:
        # The register decides: a report it issued gets the "key revoked" answer with its
        # facts; anything else signed with the lost key is unknown to it.
        return _registered(result.payload.report_number, result.payload.version, qr_text)
    if not result.is_genuine or result.payload is None:
        return _crypto_failure(result.status, from_pdf=False)
    return _registered(result.payload.report_number, result.payload.version, qr_text)


def check_upload(data: bytes, size: int | None = None) -> None:
    """Refuse what is too large or not a PDF at all, with the reason, before any parsing."""
    size = len(data) if size is None else size
    if size > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            field="file")
    if not data:
        raise ApplicationError(_("Choose the report PDF to upload."), field="file")
    if b"%PDF-" not in data[:1024]:
        raise ApplicationError(
            _("The file is not a PDF (it does not start with the %PDF- signature)."),
            field="file")


def verify_by_pdf(data: bytes) -> Verdict:
    """Verify an uploaded report PDF: PAdES signature, signer, embedded payload, register."""
    check_upload(data)
    try:
        result = verify_pdf(data, _trust_list())
    except PdfVerificationError as error:
        raise ApplicationError(
            _("The PDF is damaged and cannot be read, so it cannot be verified."), field="file"
        ) from error
    payload_result = result.payload_result
    revoked = result.status is VerificationStatus.KEY_REVOKED
    if (not (result.is_genuine or revoked) or payload_result is None
            or payload_result.payload is None):
        return _crypto_failure(result.status, from_pdf=True)
    payload = payload_result.payload
    # The register holds the exact bytes it issued: a validly signed PDF that is not them
    # was produced with the lab key outside PortLab.
    return _registered(payload.report_number, payload.version,
                       pdf_sha256=hashlib.sha256(data).hexdigest())
