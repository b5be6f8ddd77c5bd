"""PAdES signing of report PDFs and their offline verification."""

import datetime as dt
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from portlab.reports.keys import CertifiedKey, lab_certificate_issue, root_create
from portlab.reports.payload import ResultRow, VerificationStatus, payload_build, payload_sign
from portlab.reports.pdf_sign import (
    PdfSigningError,
    PdfVerificationError,
    embedded_payload_text,
    pdf_sign,
    verify_pdf,
)
from portlab.reports.trust_list import TrustList, trust_list_build, trust_list_load

CONTENT = b"BT /F1 12 Tf 72 720 Td (Report HAM-2025-000123 Conclusion: conform) Tj ET"


def _report_pdf() -> bytes:
    writer = PdfFileWriter(stream_xrefs=False)
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
        }
    )
    resources = generic.DictionaryObject(
        {
            generic.pdf_name("/Font"): generic.DictionaryObject(
                {generic.pdf_name("/F1"): writer.add_object(font)}
            )
        }
    )
    contents = writer.add_object(generic.StreamObject(stream_data=CONTENT))
    writer.insert_page(
        PageObject(contents=contents, media_box=(0, 0, 595, 842), resources=resources)
    )
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def _lab(root: CertifiedKey, now: dt.datetime | None = None) -> CertifiedKey:
    return lab_certificate_issue(root=root, lab_code="HAM", lab_name="Hamburg Lab", now=now)


def _qr_text(lab: CertifiedKey, issue_date: dt.date | None = None) -> str:
    payload = payload_build(
        report_number="HAM-2025-000123",
        version=1,
        issue_date=issue_date or dt.datetime.now(dt.UTC).date(),
        lab_code="HAM",
        applicant_name="Müller Import GmbH",
        conclusion="conform",
        result_rows=[ResultRow("S-001", "Lead (Pb)", "0.12", "mg/kg", "conform")],
    )
    return payload_sign(payload, lab)


def _signed(lab: CertifiedKey | None = None) -> tuple[bytes, str, CertifiedKey, TrustList]:
    root = root_create(network_name="PortLab Network")
    lab = lab or _lab(root)
    qr_text = _qr_text(lab)
    signed = pdf_sign(
        _report_pdf(), signing_key=lab, root_certificate=root.certificate, qr_text=qr_text
    )
    trust_list = trust_list_load(trust_list_build(root=root, lab_certificates=[lab.certificate]))
    return signed, qr_text, lab, trust_list


def test_signed_pdf_is_genuine_and_carries_the_payload() -> None:
    signed, qr_text, lab, trust_list = _signed()
    result = verify_pdf(signed, trust_list)
    assert result.status is VerificationStatus.GENUINE
    assert result.signer_kid == lab.kid
    assert result.payload_result is not None and result.payload_result.payload is not None
    assert result.payload_result.payload.report_number == "HAM-2025-000123"
    assert embedded_payload_text(PdfFileReader(BytesIO(signed))) == qr_text


def test_signature_is_pades() -> None:
    signed, _, _, _ = _signed()
    [signature] = PdfFileReader(BytesIO(signed)).embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.field_name == "PortLabSignature"


def test_one_changed_content_byte_is_altered() -> None:
    signed, _, _, trust_list = _signed()
    position = signed.index(b"Conclusion: conform") + len(b"Conclusion: ")
    tampered = signed[:position] + b"n" + signed[position + 1 :]
    result = verify_pdf(tampered, trust_list)
    assert (result.status, result.message) == (
        VerificationStatus.ALTERED,
        "the PDF was changed after signing",
    )


def test_update_appended_after_signing_is_altered() -> None:
    signed, _, _, trust_list = _signed()
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("de")
    writer.update_root()
    output = BytesIO()
    writer.write(output)
    result = verify_pdf(output.getvalue(), trust_list)
    assert (result.status, result.message) == (
        VerificationStatus.ALTERED,
        "content was added to the PDF after signing",
    )


def test_signer_missing_from_trust_list_is_unknown_key() -> None:
    signed, _, _, _ = _signed()
    root = root_create(network_name="PortLab Network")
    other_list = trust_list_load(
        trust_list_build(root=root, lab_certificates=[_lab(root).certificate])
    )
    assert verify_pdf(signed, other_list).status is VerificationStatus.UNKNOWN_KEY


def test_pdf_signed_after_key_expiry_is_expired_key() -> None:
    root = root_create(network_name="PortLab Network", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    expired = _lab(root, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    signed = pdf_sign(
        _report_pdf(),
        signing_key=expired,
        root_certificate=root.certificate,
        qr_text=_qr_text(expired, dt.date(2020, 6, 1)),
    )
    trust_list = trust_list_load(
        trust_list_build(root=root, lab_certificates=[expired.certificate])
    )
    result = verify_pdf(signed, trust_list)
    assert (result.status, result.message) == (
        VerificationStatus.EXPIRED_KEY,
        "signed outside the key validity period",
    )


def test_unsigned_pdf_is_unsigned() -> None:
    _, _, _, trust_list = _signed()
    assert verify_pdf(_report_pdf(), trust_list).status is VerificationStatus.UNSIGNED


def test_non_pdf_bytes_raise_a_clear_error() -> None:
    _, _, _, trust_list = _signed()
    with pytest.raises(PdfVerificationError, match="not a PDF file"):
        verify_pdf(b"PK\x03\x04 this is a zip", trust_list)


def test_truncated_pdf_raises_a_clear_error() -> None:
    signed, _, _, trust_list = _signed()
    with pytest.raises(PdfVerificationError, match="damaged"):
        verify_pdf(signed[: len(signed) // 3], trust_list)


def test_signing_non_pdf_bytes_is_refused() -> None:
    root = root_create(network_name="PortLab Network")
    lab = _lab(root)
    with pytest.raises(PdfSigningError, match="cannot read the PDF"):
        pdf_sign(b"hello", signing_key=lab, root_certificate=root.certificate, qr_text="PL1:")



def test_signing_and_verifying_work_inside_a_running_event_loop() -> None:
    """pyHanko's sync API calls asyncio.run(); an async view (or a Playwright test in the same
    process) already runs a loop, so PortLab moves the call to a worker thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_loop() -> VerificationStatus:
        signed, _, _, trust_list = _signed()
        return verify_pdf(signed, trust_list).status

    # A fresh thread: the test process itself may already run Playwright's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() is VerificationStatus.GENUINE
