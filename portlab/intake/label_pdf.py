"""Labels as one PDF (samples, aliquots, storage locations), laid out for A4 sheets of 2 × 7
labels of 99.1 × 38.1 mm (the common L7163 format, as the HTML sheet in labels.py): a QR code
of the label's code, the code in large type, and up to three lines of text.

The Chinese text uses ReportLab's built-in Adobe CID font (STSong-Light), which is referenced
rather than embedded: PDF viewers and printers substitute their own Song face."""

from dataclasses import dataclass
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
COLUMNS, ROWS = 2, 7
LABEL_WIDTH, LABEL_HEIGHT = 99.1 * mm, 38.1 * mm
LEFT_MARGIN, TOP_MARGIN, COLUMN_PITCH = 4.65 * mm, 15.15 * mm, 101.6 * mm
QR_SIZE = 30 * mm


@dataclass(frozen=True)
class PrintedLabel:
    code: str
    lines: tuple[str, ...] = ()


def _qr(code: str) -> Drawing:
    widget = QrCodeWidget(code, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0,
                                                    QR_SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _fit(text: str, size: float, width: float) -> str:
    while text and pdfmetrics.stringWidth(text, FONT, size) > width:
        text = text[:-2] + "…"
    return text


def _draw(page: canvas.Canvas, label: PrintedLabel, x: float, y: float) -> None:
    renderPDF.draw(_qr(label.code), page, x + 3 * mm, y + (LABEL_HEIGHT - QR_SIZE) / 2)
    text_x, width = x + QR_SIZE + 6 * mm, LABEL_WIDTH - QR_SIZE - 9 * mm
    page.setFont("Helvetica-Bold", 13)
    page.drawString(text_x, y + LABEL_HEIGHT - 10 * mm, _fit(label.code, 13, width))
    page.setFont(FONT, 8.5)
    for row, line in enumerate(label.lines[:3]):
        page.drawString(text_x, y + LABEL_HEIGHT - (16 + 5 * row) * mm, _fit(line, 8.5, width))


def labels_pdf(labels: list[PrintedLabel]) -> bytes:
    """One PDF of all the labels, 14 to a page, in the order given."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle("PortLab labels")
    per_page = COLUMNS * ROWS
    for index, label in enumerate(labels):
        if index and index % per_page == 0:
            page.showPage()
        slot = index % per_page
        x = LEFT_MARGIN + (slot % COLUMNS) * COLUMN_PITCH
        y = A4[1] - TOP_MARGIN - (slot // COLUMNS + 1) * LABEL_HEIGHT
        _draw(page, label, x, y)
    page.showPage()
    page.save()
    return buffer.getvalue()
