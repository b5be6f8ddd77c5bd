"""The report PDF (laid out by portlab.reports.layout) and its QR code."""

from __future__ import annotations

import io
from urllib.parse import quote

import numpy
import zxingcpp
from django.conf import settings
from PIL import Image

from portlab.reports import layout


def verify_page_url() -> str:
    return f"{settings.PORTLAB_PUBLIC_URL}/verify"


def verification_url(qr_text: str) -> str:
    return f"{verify_page_url()}?p={quote(qr_text, safe='')}"


def qr_png(text: str) -> bytes:
    """A QR code (error correction level M, with its quiet zone) as a PNG with one pixel per
    module. zxing-cpp encodes in C++ (mixed-mode segments, the best of the eight masks) in
    about a millisecond; the PDF scales the pixels up unsmoothed."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = numpy.asarray(barcode.to_image(scale=1, add_quiet_zones=True))
    output = io.BytesIO()
    Image.fromarray(pixels).convert("1").save(output, "PNG")
    return output.getvalue()


def report_pdf(context: dict) -> bytes:
    """The unsigned PDF of one report version; call it in the report's language."""
    return layout.report_pdf(context)
