"""PAdES signature of report PDFs (pyHanko), carrying the QR payload as an attachment.

The signed PDF holds the COSE QR text in an embedded file named PAYLOAD_ATTACHMENT_NAME, added
in the same revision as the signature, so the signature covers it and an uploaded PDF can be
checked offline without scanning its QR code.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from portlab.reports.keys import CertifiedKey, lab_name_of
from portlab.reports.payload import VerificationResult, VerificationStatus, verify_payload
from portlab.reports.trust_list import TrustedKey, TrustList

PAYLOAD_ATTACHMENT_NAME = "portlab-report-payload.txt"
SIGNATURE_FIELD_NAME = "PortLabSignature"
# Room for the CMS signature (ES256 + signer and root certificates, about 1.6 kB). Fixing it
# spares pyHanko a trial signature to measure the size, a third of the signing time.
SIGNATURE_BYTES_RESERVED = 4096

T = TypeVar("T")


class PdfSigningError(ValueError):
    """The PDF to sign cannot be read or written."""


class PdfVerificationError(ValueError):
    """The uploaded file is not a readable PDF, so there is nothing to verify."""


@dataclass(frozen=True)
class PdfVerificationResult:
    status: VerificationStatus
    message: str
    signer_kid: bytes | None = None
    signing_time: dt.datetime | None = None
    payload_result: VerificationResult | None = None

    @property
    def is_genuine(self) -> bool:
        return self.status is VerificationStatus.GENUINE


def outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's synchronous entry points, which run their own event loop with
    asyncio.run(): in a worker thread when this thread already runs a loop (async views,
    or a test process that drives a browser with Playwright)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _signer(signing_key: CertifiedKey, root_certificate: x509.Certificate) -> signers.Signer:
    private_key_der = signing_key.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=_asn1_certificate(signing_key.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(root_certificate)]),
    )


def _embed_payload(writer: IncrementalPdfFileWriter, qr_text: str) -> None:
    embedded = embed.EmbeddedFileObject.from_file_data(
        writer, qr_text.encode("ascii"), mime_type="text/plain"
    )
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string=PAYLOAD_ATTACHMENT_NAME,
            file_name=PAYLOAD_ATTACHMENT_NAME,
            embedded_data=embedded,
            description="PortLab signed report payload (COSE_Sign1, Base45)",
            af_relationship=generic.pdf_name("/Supplement"),
        ),
    )


def pdf_sign(
    pdf_bytes: bytes,
    *,
    signing_key: CertifiedKey,
    root_certificate: x509.Certificate,
    qr_text: str,
    reason: str = "Laboratory test report",
) -> bytes:
    """Return the PDF signed PAdES B-B by the lab key, with the QR text attached."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError) as error:
        raise PdfSigningError(f"cannot read the PDF to sign: {error}") from error
    _embed_payload(writer, qr_text)
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=lab_name_of(signing_key.certificate),
    )
    output = outside_event_loop(signers.sign_pdf, writer, metadata,
                                signer=_signer(signing_key, root_certificate),
                                bytes_reserved=SIGNATURE_BYTES_RESERVED)
    return output.getvalue()


def _read_pdf(pdf_bytes: bytes) -> PdfFileReader:
    # ISO 32000 readers accept the header anywhere in the first kilobyte.
    if b"%PDF-" not in pdf_bytes[:1024]:
        raise PdfVerificationError("not a PDF file (no %PDF- header)")
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        reader.embedded_signatures  # noqa: B018 - parses the form fields now, not later
    # pyHanko reports damaged structure with assorted exception types (even AttributeError).
    except Exception as error:
        raise PdfVerificationError(f"the PDF is damaged and cannot be read: {error}") from error
    return reader


def embedded_payload_text(reader: PdfFileReader) -> str | None:
    """The QR text attached by pdf_sign, or None when the PDF has no such attachment."""
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names) - 1, 2):
            if str(names[index]) == PAYLOAD_ATTACHMENT_NAME:
                data = names[index + 1].get_object()["/EF"]["/F"].get_object().data
                return data.decode("ascii")
    except (KeyError, TypeError, AttributeError, UnicodeDecodeError, PdfError):
        return None
    return None


def _signature_status(reader: PdfFileReader, trust_list: TrustList) -> PdfSignatureStatus:
    context = ValidationContext(
        trust_roots=[_asn1_certificate(trust_list.root_certificate)], allow_fetching=False
    )
    return outside_event_loop(validate_pdf_signature, reader.embedded_signatures[-1], context)


def verify_pdf(pdf_bytes: bytes, trust_list: TrustList) -> PdfVerificationResult:
    """Verify a report PDF offline: PAdES integrity, signer in the trust list, attached payload.

    Raises PdfVerificationError when the bytes are not a readable PDF.
    """
    reader = _read_pdf(pdf_bytes)
    if not reader.embedded_signatures:
        return PdfVerificationResult(VerificationStatus.UNSIGNED, "the PDF carries no signature")
    try:
        status = _signature_status(reader, trust_list)
    # A corrupted CMS blob surfaces as assorted exception types from pyHanko and asn1crypto.
    except Exception as error:
        return PdfVerificationResult(VerificationStatus.ALTERED, f"signature unreadable: {error}")
    if not (status.intact and status.valid):
        return PdfVerificationResult(
            VerificationStatus.ALTERED, "the PDF was changed after signing"
        )
    # Strict on purpose: even a benign-looking incremental update is not what the lab issued.
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        return PdfVerificationResult(
            VerificationStatus.ALTERED, "content was added to the PDF after signing"
        )
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    trusted_key = trust_list.find_certificate(certificate)
    if trusted_key is None:
        return PdfVerificationResult(
            VerificationStatus.UNKNOWN_KEY, "the PDF signer is not in the trust list"
        )
    return _check_signer_and_payload(reader, trusted_key, status.signer_reported_dt, trust_list)


def _check_signer_and_payload(
    reader: PdfFileReader,
    trusted_key: TrustedKey,
    signing_time: dt.datetime | None,
    trust_list: TrustList,
) -> PdfVerificationResult:
    def result(
        status: VerificationStatus, message: str, payload: VerificationResult | None = None
    ) -> PdfVerificationResult:
        return PdfVerificationResult(status, message, trusted_key.kid, signing_time, payload)

    if signing_time is None or not (
        trusted_key.not_before <= signing_time <= trusted_key.not_after
    ):
        return result(VerificationStatus.EXPIRED_KEY, "signed outside the key validity period")
    qr_text = embedded_payload_text(reader)
    if qr_text is None:
        return result(VerificationStatus.MALFORMED, "the PDF has no embedded report payload")
    payload_result = verify_payload(qr_text, trust_list)
    if not payload_result.is_genuine:
        return result(
            payload_result.status, f"embedded payload: {payload_result.message}", payload_result
        )
    if payload_result.payload is None or payload_result.payload.lab_code != trusted_key.lab_code:
        return result(
            VerificationStatus.ALTERED, "payload and PDF signed by different labs", payload_result
        )
    return result(VerificationStatus.GENUINE, "PDF signature and payload valid", payload_result)
