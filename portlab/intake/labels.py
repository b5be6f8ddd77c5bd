"""Sample labels: a QR code per sample, laid out on A4 sheets of 2 × 7 labels (99.1 × 38.1 mm,
the common L7163 format)."""

from dataclasses import dataclass

import segno
from django.utils.safestring import SafeString, mark_safe

LABELS_PER_SHEET = 14


def qr_svg(text: str) -> SafeString:
    """An inline SVG QR code; sized by CSS (viewBox only), medium error correction."""
    # segno writes the SVG itself from the encoded modules; nothing of `text` is echoed raw.
    return mark_safe(segno.make(text, error="m", micro=False).svg_inline(
        scale=1, border=2, omitsize=True, title=text))


@dataclass
class Label:
    sample_number: str
    application_number: str
    goods: str
    enterprise: str
    qr: SafeString


def label_sheets(application, samples) -> list[list[Label]]:
    labels = [Label(sample_number=sample.number, application_number=application.number,
                    goods=application.goods_description, enterprise=application.enterprise.name,
                    qr=qr_svg(sample.number)) for sample in samples]
    return [labels[i:i + LABELS_PER_SHEET] for i in range(0, len(labels), LABELS_PER_SHEET)]
