"""What the issued PDF looks like to a reader: fonts embedded, every character drawn (also
those outside the cut font), and a QR code that a scanner (zxing-cpp, reading the page
rendered by poppler) decodes to the verification address carrying the signed payload."""

import subprocess
from pathlib import Path

import numpy
import pytest
import zxingcpp
from fontTools.ttLib import TTFont
from PIL import Image

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.intake.models import Application
from portlab.reports import fonts
from portlab.reports.models import Report
from portlab.reports.render import verification_url
from portlab.reports.services import report_issue
from portlab.reports.tests.test_report_issue import embedded_fonts


def _stored_pdf(report: Report) -> bytes:
    return bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk))


def _page_png(pdf: bytes, tmp_path: Path, page: int) -> Path:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(source), str(tmp_path / "page")], check=True)
    return tmp_path / "page.png"


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_printed_qr_code_scans_to_the_verification_address(
        issued_report: Report, tmp_path: Path) -> None:
    page = Image.open(_page_png(_stored_pdf(issued_report), tmp_path, page=1)).convert("L")
    codes = zxingcpp.read_barcodes(numpy.asarray(page), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in codes] == [verification_url(issued_report.payload)]
    assert codes[0].ec_level == "M"


def test_the_cut_fonts_hold_gb2312_and_are_cached(issued_report: Report) -> None:
    points = fonts.report_characters()
    assert len([point for point in points if 0x4E00 <= point <= 0x9FFF]) == 6763  # GB 2312
    assert {ord(char) for char in "检测报告±≤℃µ³"} <= points
    for weight in fonts.WEIGHTS:
        source = fonts.system_font(weight)
        path = fonts.truetype_font(weight)
        assert source is not None and path is not None
        assert path.stat().st_size < source[0].stat().st_size / 5
        font = TTFont(path)  # TrueType outlines, which ReportLab embeds
        assert "glyf" in font and "CFF " not in font
        assert {ord(char) for char in "检测报告"} <= set(font.getBestCmap())
        assert font["name"].getDebugName(6) == f"PortLabReportCJK-{weight}"


def test_a_character_outside_the_cut_is_drawn_from_the_full_font(
        staff: dict[str, User], approved_application: Application, keys_dir: Path,
        tmp_path: Path) -> None:
    # 䶮 (U+4DAE, CJK Extension A) is in no GB 2312 row: the cut font lacks it.
    assert 0x4DAE not in fonts.report_characters()
    enterprise = approved_application.enterprise
    enterprise.name_zh = "刘䶮贸易有限公司"
    enterprise.save(update_fields=["name_zh"])
    report = report_issue(actor=staff["signatory"], application=approved_application,
                          credential=SIGNED)
    pdf = _stored_pdf(report)
    extra = {name for name in embedded_fonts(pdf) if name.startswith("PortLabReportExtra-")}
    assert len(extra) == 1
    assert "刘䶮贸易有限公司" in _pdf_text(pdf, tmp_path)


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_without_the_system_font_no_face_is_cut(monkeypatch, weight: str) -> None:
    monkeypatch.setattr(fonts, "SOURCE_FAMILY", "No Such Font Family")
    assert fonts.system_font(weight) is None
    assert fonts._cached_font(weight) is None
