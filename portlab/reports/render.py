"""Report PDF rendering with WeasyPrint; the CJK font (Noto Sans CJK) is embedded as a subset."""

from __future__ import annotations

import base64
import gc
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import numpy
import zxingcpp
from django.conf import settings
from django.template.loader import render_to_string
from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from portlab.reports import fonts

STYLESHEET = Path(__file__).parent / "templates" / "reports" / "report_pdf.css"

_setup: tuple[FontConfiguration, CSS] | None = None
_setup_lock = threading.Lock()


def _fonts_and_styles() -> tuple[FontConfiguration, CSS]:
    """The font configuration (loading the CJK fonts is slow) and the parsed report stylesheet
    with the cut report fonts, made once per process and shared by every render."""
    global _setup
    with _setup_lock:
        if _setup is None:
            font_config = FontConfiguration()
            css = fonts.font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8")
            _setup = font_config, CSS(string=css, font_config=font_config)
        return _setup


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector during one render. A render allocates some
    hundred thousand short-lived objects, which otherwise set off collections that walk the
    whole heap of the process (a fifth of the render time, measured); its cycles are
    collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def verify_page_url() -> str:
    return f"{settings.PORTLAB_PUBLIC_URL}/verify"


def verification_url(qr_text: str) -> str:
    return f"{verify_page_url()}?p={quote(qr_text, safe='')}"


def qr_png(text: str) -> bytes:
    """A QR code (error correction level M, with its quiet zone) as a PNG with one pixel per module.

    zxing-cpp encodes in C++ (mixed-mode segments, the best of the eight masks) in about a
    millisecond; the PDF draws the pixels unsmoothed (image-rendering: pixelated)."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = numpy.asarray(barcode.to_image(scale=1, add_quiet_zones=True))
    output = io.BytesIO()
    Image.fromarray(pixels).convert("1").save(output, "PNG")
    return output.getvalue()


def qr_data_uri(qr_text: str) -> str:
    """The QR code holding the verification URL with the signed payload, as a data URI."""
    return "data:image/png;base64," + base64.b64encode(
        qr_png(verification_url(qr_text))).decode("ascii")


def report_html(context: dict) -> str:
    return render_to_string("reports/report_pdf.html", context)


def html_to_pdf(html: str) -> bytes:
    font_config, stylesheet = _fonts_and_styles()
    with _collector_paused():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[stylesheet], font_config=font_config)
