"""The PerkinElmer Syngistix ICP-MS export (semicolon-separated, one line per sample and
element): sample lines read, calibration lines skipped, truncated or foreign files refused
with the line and the reason. The fixture is hand-made after the published description (see
parsers/syngistix.py); no real export was available."""

from pathlib import Path

import pytest

from portlab.instruments.parsers import ParseError, parse

FIXTURE = (Path(__file__).resolve().parent.parent / "fixtures" / "icpms_syngistix.csv")


def error_of(content: bytes, export_format: str = "icpms_syngistix") -> tuple[int, str]:
    with pytest.raises(ParseError) as caught:
        parse(content, export_format)
    return caught.value.line, caught.value.template % caught.value.params


def test_sample_lines_are_read_and_calibration_lines_skipped() -> None:
    rows = parse(FIXTURE.read_bytes())  # "auto" recognises the header
    assert [(r.line, r.sample_id, r.analyte, r.kind, r.value, r.unit) for r in rows] == [
        (4, "TJ240318001", "Pb", "numeric", "0.043", "mg/kg"),
        (5, "TJ240318001", "Cd", "below_lod", "", "mg/kg"),
        (6, "TJ240318002", "Pb", "numeric", "0.118", "mg/kg"),
        (7, "TJ240318002", "As", "numeric", "0.091", "mg/kg")]


def test_without_units_or_sample_type_columns_every_named_sample_line_is_a_result() -> None:
    text = b"Sample ID;Elem;Analyte Name;Reported Conc (Samp)\nTJ1;Pb;Pb 208;0.05\n;Pb;Pb 208;0\n"
    rows = parse(text, "icpms_syngistix")
    assert [(r.line, r.sample_id, r.analyte, r.value, r.unit) for r in rows] == [
        (2, "TJ1", "Pb", "0.05", "")]


def test_a_truncated_export_names_the_line() -> None:
    text = FIXTURE.read_text()
    truncated = text[:text.index("TJ240318002;Sample;As") + 25]
    assert error_of(truncated.encode()) == (
        7, "expected 7 columns, found 4 (truncated or malformed line)")


def test_a_wrong_header_is_refused_on_line_one() -> None:
    masshunter_like = b"Sample Name,Element,Conc.\nTJ1,Pb,0.05\n"
    assert error_of(masshunter_like) == (
        1, "the header has no column “Sample ID”: not a Syngistix export")


def test_a_value_that_is_no_number_names_line_and_column() -> None:
    text = FIXTURE.read_bytes().replace(b";0.118;", b";0,118 ppm;")
    assert error_of(text) == (
        6, "“0,118 ppm” in column “Reported Conc (Samp)” is not a number")


def test_an_empty_element_is_refused() -> None:
    text = FIXTURE.read_bytes().replace(b"TJ240318002;Sample;As;", b"TJ240318002;Sample;;")
    assert error_of(text) == (7, "the column “Elem” is empty")
