"""No text overlaps on the report at any length of value: read every word's position from the
PDF (pdfplumber) and check that no two words overlap and that no drawn line (table grid,
conclusion box) crosses a word — with "< LOD (0.001)"-style values, long method names, long
words, and 200 results over several pages, in Chinese and in English."""

import io
import itertools
from pathlib import Path

import pdfplumber
import pytest
from django.utils import timezone, translation

from portlab.accounts.models import User
from portlab.intake.models import Application
from portlab.reports import content, render, services
from portlab.reports.cose import qr_encode
from portlab.reports.services import Draft

TOLERANCE = 0.4  # points: glyph boxes may touch, not overlap
VALUES = ["< 检出限（0.001）", "未检出（检出限 0.03）", "< LOD (0.001)", "Not detected (LOD 0.03)",
          "0.041", "123456789.123456789", "阴性（每25克未检出）"]
METHODS = ["GB 5009.12-2023 GFAAS",
           "GB 5009.265-2021 第一法 气相色谱-质谱联用法（同位素稀释内标法，多环芳烃十六种）",
           "SN/T 1950-2007-LC-MS/MS-ConfirmationOfMultipleVeterinaryDrugResiduesByIsotope"]
ITEMS = ["铅", "苯并[a]芘及其他多环芳烃总量（以苯并[a]芘计）",
         "Polycyclic aromatic hydrocarbons, sum of benzo[a]pyrene equivalents"]


def _rows(count: int) -> list[content.TableRow]:
    cycle = itertools.cycle(itertools.product(VALUES, METHODS, ITEMS))
    rows = []
    for index, (value, method, item) in zip(range(count), cycle, strict=False):
        failed = index % 5 == 0
        rows.append(content.TableRow(
            sample=f"TJ-TC-2026-{index:06d}-01", test_item=item, method=method, value=value,
            unit="μg/100 g" if index % 2 else "mg/kg",
            uncertainty="U = 0.00123456 (k = 2)" if index % 3 else "—",
            detection_limits="0.0001 / 0.00035", limit="0.125–12345.5 mg/kg",
            conformity="Does not conform" if failed else "Conforms",
            conformity_code="fail" if failed else "pass", decision_rule="Simple acceptance",
            accreditation_mark="*" if index % 4 else "", performing_lab=""))
    return rows


def _pdf(staff: dict[str, User], application: Application, language: str,
         count: int) -> bytes:
    draft = Draft(application=application, number="TJ-TC-2026-000099", version=1,
                  language=language, actor=staff["signatory"])
    tests = content.approved_tests(application)
    with translation.override(language):
        rows = _rows(count)
        prepared = services.Prepared(tests, rows, content.conclusion_text(rows), [], "")
        context = services._context(draft, prepared, "ABCD-EFGH-JKMN-PQRS",
                                    qr_encode(b"\x01" * 160), timezone.now())
        return render.report_pdf(context)


def _overlap(first: dict, second: dict) -> bool:
    return (min(first["x1"], second["x1"]) - max(first["x0"], second["x0"]) > TOLERANCE
            and min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
            > TOLERANCE)


def _crosses(word: dict, edge: dict) -> bool:
    """A drawn line runs through the word's box (not merely along its border)."""
    if edge["orientation"] == "v":
        return (word["x0"] + TOLERANCE < edge["x0"] < word["x1"] - TOLERANCE
                and min(word["bottom"], edge["bottom"]) - max(word["top"], edge["top"])
                > TOLERANCE)
    return (word["top"] + TOLERANCE < edge["top"] < word["bottom"] - TOLERANCE
            and min(word["x1"], edge["x1"]) - max(word["x0"], edge["x0"]) > TOLERANCE)


def _collisions(pdf: bytes) -> tuple[int, list[str]]:
    problems, words_seen = [], 0
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            words_seen += len(words)
            problems += [f"p{page.page_number}: {a['text']!r} overlaps {b['text']!r}"
                         for a, b in itertools.combinations(words, 2) if _overlap(a, b)]
            problems += [f"p{page.page_number}: a line crosses {word['text']!r}"
                         for word in words for edge in page.edges if _crosses(word, edge)]
    return words_seen, problems


@pytest.mark.parametrize("language", ["zh-hans", "en", "zh-en"])
def test_long_values_never_overlap(staff: dict[str, User], approved_application: Application,
                                   keys_dir: Path, language: str) -> None:
    words, problems = _collisions(_pdf(staff, approved_application, language, 21))
    assert words > 400
    assert problems == []


def test_200_results_over_several_pages_never_overlap(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    pdf = _pdf(staff, approved_application, "zh-hans", 200)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
        text = "".join(page.extract_text() for page in document.pages)
    assert pages >= 8
    assert text.count("TJ-TC-2026-") >= 200
    assert _collisions(pdf)[1] == []


def test_every_word_of_a_cell_stays_in_its_column(
        staff: dict[str, User], approved_application: Application, keys_dir: Path) -> None:
    pdf = _pdf(staff, approved_application, "en", 21)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        table = next(table for table in page.find_tables()
                     if "LOD / LOQ" in (table.extract()[0] or []))
        columns = sorted({round(cell[0], 1) for cell in table.cells} | {round(table.bbox[2], 1)})
        assert len(columns) == 10  # nine columns
        cells = [page.crop(cell).extract_words() for cell in table.cells]
        inside = [word for cell, words in zip(table.cells, cells, strict=True) for word in words
                  if cell[0] - TOLERANCE <= word["x0"] and word["x1"] <= cell[2] + TOLERANCE]
        assert len(inside) == sum(len(words) for words in cells) > 200
