"""Report PDF rendering with WeasyPrint; the CJK font (Noto Sans CJK) is embedded as a subset."""

from __future__ import annotations

import threading
from urllib.parse import quote

import segno
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_font_configuration: FontConfiguration | None = None
_font_lock = threading.Lock()


def _fonts() -> FontConfiguration:
    # Parsing the CJK font collection is the slow part of a render; do it once per process.
    global _font_configuration
    with _font_lock:
        if _font_configuration is None:
            _font_configuration = FontConfiguration()
        return _font_configuration


def verify_page_url() -> str:
    return f"{settings.PORTLAB_PUBLIC_URL}/verify"


def verification_url(qr_text: str) -> str:
    return f"{verify_page_url()}?p={quote(qr_text, safe='')}"


def qr_data_uri(qr_text: str) -> str:
    """The QR code (an SVG data URI) holding the verification URL with the signed payload."""
    return segno.make(verification_url(qr_text), error="m").svg_data_uri(border=0)


def report_html(context: dict) -> str:
    return render_to_string("reports/report_pdf.html", context)


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_fonts())
