"""The report PDF (laid out by portlab.reports.layout) and its QR code."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import numpy
import zxingcpp
from django.conf import settings

from portlab.reports import layout
from portlab.reports.cose import compact_from_qr_text


def verify_page_url() -> str:
    return f"{settings.PORTLAB_PUBLIC_URL}/verify"


def _upper_origin(url: str) -> str:
    """The public URL with scheme and host in upper case (both are case-insensitive), so
    that the whole link fits the QR alphanumeric mode; a path prefix keeps its case."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".upper() + parts.path


def verification_url(qr_text: str) -> str:
    """The link printed as the QR code: HTTPS://HOST/V/<Base32 of the signed payload>."""
    return f"{_upper_origin(settings.PORTLAB_PUBLIC_URL)}/V/{compact_from_qr_text(qr_text)}"


def legacy_verification_url(qr_text: str) -> str:
    """The link printed on reports issued before 2026-11-25 (/verify?p=<percent-encoded
    Base45>); still answered, no longer printed."""
    return f"{verify_page_url()}?p={quote(qr_text, safe='')}"


def qr_modules(text: str) -> numpy.ndarray:
    """A QR code (error correction level M, the smallest version that holds the text) as a
    square boolean matrix, True for a dark module, with its quiet zone of four modules.
    zxing-cpp encodes in C++ (mixed-mode segments, the best of the eight masks) in about a
    millisecond; the PDF draws the modules as vector squares (qr_drawing.QrCode)."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return numpy.asarray(barcode.to_image(scale=1, add_quiet_zones=True)) < 128


def report_pdf(context: dict) -> bytes:
    """The unsigned PDF of one report version; call it in the report's language."""
    return layout.report_pdf(context)
