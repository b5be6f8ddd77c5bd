"""The compact signed payload printed as a QR code on every report, and its offline check.

Payload: a canonical CBOR map with small integer keys (like CWT claims), signed as COSE_Sign1:

    1 report number (text)   2 version (unsigned int)   3 issue date (text, YYYY-MM-DD)
    4 lab code (text)        5 applicant name (text)    6 conclusion (text)
    7 result table digest (32 bytes, see result_table_digest)
    8 payload format (unsigned int; absent in format 1)

Format 1 (reports issued before 2026-11-25) digests five printed fields of each result row
(ResultRow); format 2 digests every printed field (PrintedResultRow): value, unit, expanded
uncertainty with its k, LOD/LOQ, limit, method, decision rule, conformity, the accreditation
mark and the lab that performed the test. Both verify; new reports are issued in format 2.

Verification happens at the report's issue date, not today: a report stays genuine after its
signing key retired, as long as it was issued while the key was valid.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import cbor2

from portlab.reports.cose import (
    CoseError,
    CoseSignatureError,
    qr_decode,
    qr_encode,
    sign1_create,
    sign1_decode,
    sign1_verify,
)
from portlab.reports.keys import CertifiedKey, lab_code_of
from portlab.reports.trust_list import TrustedKey, TrustList

FIELD_REPORT_NUMBER = 1
FIELD_VERSION = 2
FIELD_ISSUE_DATE = 3
FIELD_LAB_CODE = 4
FIELD_APPLICANT_NAME = 5
FIELD_CONCLUSION = 6
FIELD_RESULT_DIGEST = 7
FIELD_FORMAT = 8
FORMAT_PRINTED_FIELDS = 2
FORMAT_FIVE_FIELDS = 1
SUPPORTED_FORMATS = (FORMAT_FIVE_FIELDS, FORMAT_PRINTED_FIELDS)
_TEXT_FIELDS = (
    FIELD_REPORT_NUMBER,
    FIELD_ISSUE_DATE,
    FIELD_LAB_CODE,
    FIELD_APPLICANT_NAME,
    FIELD_CONCLUSION,
)


class PayloadError(ValueError):
    """A payload cannot be built or decoded."""


class VerificationStatus(enum.StrEnum):
    GENUINE = "genuine"
    ALTERED = "altered"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED_KEY = "expired_key"
    # Signed with a key declared compromised before the report's issue date.
    KEY_REVOKED = "key_revoked"
    MALFORMED = "malformed"
    # Only for PDFs: the file carries no signature at all.
    UNSIGNED = "unsigned"


@dataclass(frozen=True)
class ResultRow:
    """Format 1: five fields of a line of the printed result table, exactly as printed."""

    sample: str
    test_item: str
    value: str
    unit: str
    conformity: str

    payload_format = FORMAT_FIVE_FIELDS

    def fields(self) -> tuple[str, ...]:
        return (self.sample, self.test_item, self.value, self.unit, self.conformity)


@dataclass(frozen=True)
class PrintedResultRow:
    """Format 2: every field of a line of the printed result table, exactly as printed."""

    sample: str
    test_item: str
    method: str
    value: str
    unit: str
    uncertainty: str  # U with its coverage factor, e.g. "0.006 (k = 2)"
    detection_limits: str  # LOD / LOQ
    limit: str
    decision_rule: str
    conformity: str
    accreditation_mark: str
    performing_lab: str

    payload_format = FORMAT_PRINTED_FIELDS

    def fields(self) -> tuple[str, ...]:
        return (self.sample, self.test_item, self.method, self.value, self.unit,
                self.uncertainty, self.detection_limits, self.limit, self.decision_rule,
                self.conformity, self.accreditation_mark, self.performing_lab)


@dataclass(frozen=True)
class ReportPayload:
    report_number: str
    version: int
    issue_date: dt.date
    lab_code: str
    applicant_name: str
    conclusion: str
    result_digest: bytes
    payload_format: int = FORMAT_FIVE_FIELDS


@dataclass(frozen=True)
class VerificationResult:
    status: VerificationStatus
    message: str
    payload: ReportPayload | None = None
    kid: bytes | None = None
    lab_name: str | None = None

    @property
    def is_genuine(self) -> bool:
        return self.status is VerificationStatus.GENUINE


def canonical_result_table(rows: Iterable[ResultRow | PrintedResultRow]) -> bytes:
    """Canonical bytes of a result table, independent of row order.

    Each row becomes the array of its fields() (format 1: [sample, test item, value, unit,
    conformity]; format 2: the twelve fields of PrintedResultRow in their order) of Unicode
    NFC text strings, taken exactly as printed (no trimming, no number reformatting). Rows are
    sorted by that tuple in code-point order (duplicates kept) and the array of rows is
    encoded as RFC 8949 section 4.2.1 deterministic CBOR.
    """
    normalised = sorted(
        tuple(unicodedata.normalize("NFC", text) for text in row.fields()) for row in rows
    )
    return cbor2.dumps([list(row) for row in normalised], canonical=True)


def result_table_digest(rows: Iterable[ResultRow | PrintedResultRow]) -> bytes:
    """SHA-256 of canonical_result_table(rows)."""
    return hashlib.sha256(canonical_result_table(rows)).digest()


def payload_build(
    *,
    report_number: str,
    version: int,
    issue_date: dt.date,
    lab_code: str,
    applicant_name: str,
    conclusion: str,
    result_rows: Iterable[ResultRow | PrintedResultRow],
) -> ReportPayload:
    """Assemble the payload of one report version, hashing its result table; the rows' type
    sets the payload format (ResultRow: format 1, PrintedResultRow: format 2)."""
    result_rows = list(result_rows)
    formats = {row.payload_format for row in result_rows} or {FORMAT_PRINTED_FIELDS}
    if len(formats) != 1:
        raise PayloadError("result rows of two payload formats cannot be signed together")
    return ReportPayload(
        report_number=report_number,
        version=version,
        issue_date=issue_date,
        lab_code=lab_code,
        applicant_name=applicant_name,
        conclusion=conclusion,
        result_digest=result_table_digest(result_rows),
        payload_format=formats.pop(),
    )


def payload_encode(payload: ReportPayload) -> bytes:
    fields = {
        FIELD_REPORT_NUMBER: payload.report_number,
        FIELD_VERSION: payload.version,
        FIELD_ISSUE_DATE: payload.issue_date.isoformat(),
        FIELD_LAB_CODE: payload.lab_code,
        FIELD_APPLICANT_NAME: payload.applicant_name,
        FIELD_CONCLUSION: payload.conclusion,
        FIELD_RESULT_DIGEST: payload.result_digest,
    }
    # Format 1 carries no format field, so its bytes are exactly those issued before format 2.
    if payload.payload_format != FORMAT_FIVE_FIELDS:
        fields[FIELD_FORMAT] = payload.payload_format
    return cbor2.dumps(fields, canonical=True)


def payload_decode(data: bytes) -> ReportPayload:
    """Parse and type-check the CBOR payload map; raise PayloadError when it is not one."""
    try:
        fields = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError, TypeError) as error:
        raise PayloadError(f"payload is not valid CBOR: {error}") from error
    if not isinstance(fields, Mapping):
        raise PayloadError("payload must be a CBOR map")
    version, digest = fields.get(FIELD_VERSION), fields.get(FIELD_RESULT_DIGEST)
    if any(not isinstance(fields.get(key), str) for key in _TEXT_FIELDS):
        raise PayloadError("payload text field missing or not text")
    if type(version) is not int or version < 0:
        raise PayloadError("payload version must be an unsigned integer")
    if not (isinstance(digest, bytes) and len(digest) == hashlib.sha256().digest_size):
        raise PayloadError("payload result digest must be 32 bytes")
    try:
        issue_date = dt.date.fromisoformat(fields[FIELD_ISSUE_DATE])
    except ValueError as error:
        raise PayloadError(f"payload issue date invalid: {error}") from error
    payload_format = fields.get(FIELD_FORMAT, FORMAT_FIVE_FIELDS)
    # Format 1 is written without the field; an explicit 1 would be a second encoding of it.
    explicit_one = FIELD_FORMAT in fields and payload_format == FORMAT_FIVE_FIELDS
    if type(payload_format) is not int or payload_format not in SUPPORTED_FORMATS or explicit_one:
        raise PayloadError(f"unsupported payload format {payload_format!r}")
    return ReportPayload(
        report_number=fields[FIELD_REPORT_NUMBER],
        version=version,
        issue_date=issue_date,
        lab_code=fields[FIELD_LAB_CODE],
        applicant_name=fields[FIELD_APPLICANT_NAME],
        conclusion=fields[FIELD_CONCLUSION],
        result_digest=digest,
        payload_format=payload_format,
    )


def payload_sign(payload: ReportPayload, signing_key: CertifiedKey) -> str:
    """Sign the payload with the lab key and return the QR text ("PL1:" + Base45)."""
    if lab_code_of(signing_key.certificate) != payload.lab_code:
        raise PayloadError("signing key belongs to another lab than the payload names")
    cose_message = sign1_create(payload_encode(payload), signing_key.private_key, signing_key.kid)
    return qr_encode(cose_message)


def verify_payload(qr_text: str, trust_list: TrustList) -> VerificationResult:
    """Check a QR text offline against a (verified) trust list; never raises on bad input."""
    try:
        message = sign1_decode(qr_decode(qr_text.strip()))
    except CoseError as error:
        return VerificationResult(VerificationStatus.MALFORMED, str(error))
    trusted_key = trust_list.find(message.kid) if message.kid else None
    if trusted_key is None:
        kid_text = message.kid.hex() if message.kid else "none"
        return VerificationResult(
            VerificationStatus.UNKNOWN_KEY, f"key id {kid_text} is not in the trust list"
        )
    try:
        payload = payload_decode(sign1_verify(message, trusted_key.public_key))
    except CoseSignatureError as error:
        return VerificationResult(VerificationStatus.ALTERED, str(error), kid=message.kid)
    except (CoseError, PayloadError) as error:
        return VerificationResult(VerificationStatus.MALFORMED, str(error), kid=message.kid)
    return _judge_key_use(payload, trusted_key)


def _judge_key_use(payload: ReportPayload, trusted_key: TrustedKey) -> VerificationResult:
    def result(status: VerificationStatus, message: str) -> VerificationResult:
        return VerificationResult(
            status, message, payload=payload, kid=trusted_key.kid, lab_name=trusted_key.lab_name
        )

    if payload.lab_code != trusted_key.lab_code:
        return result(
            VerificationStatus.UNKNOWN_KEY,
            f"key {trusted_key.kid.hex()} belongs to lab {trusted_key.lab_code}, "
            f"not {payload.lab_code}",
        )
    # Certificate validity is in UTC instants; an issue date counts if any moment of it does.
    not_before, not_after = trusted_key.not_before.date(), trusted_key.not_after.date()
    if not (not_before <= payload.issue_date <= not_after):
        return result(
            VerificationStatus.EXPIRED_KEY,
            f"issue date {payload.issue_date} is outside the key validity "
            f"{not_before} to {not_after}",
        )
    compromised = trusted_key.compromised_since
    if compromised is not None and payload.issue_date >= compromised.date():
        return result(
            VerificationStatus.KEY_REVOKED,
            f"signature key revoked: key {trusted_key.kid.hex()} was declared compromised "
            f"from {compromised.date()}, and the report is dated {payload.issue_date}",
        )
    return result(VerificationStatus.GENUINE, "signature valid, key trusted on the issue date")
