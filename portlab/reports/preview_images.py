"""The preview's pages as PNG images, so every browser shows them inline (headless and mobile
browsers often cannot show a PDF in a page)."""

from __future__ import annotations

import base64
import io

import pypdfium2

PREVIEW_SCALE = 1.4  # about 100 dpi: readable on screen, a few hundred kB per page


def page_images(pdf: bytes) -> list[str]:
    """Each page of the PDF as a data: URL of a PNG image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            buffer = io.BytesIO()
            page.render(scale=PREVIEW_SCALE).to_pil().save(buffer, format="PNG", optimize=True)
            images.append("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())
        return images
    finally:
        document.close()
