from pathlib import Path

import pytest

from portlab.instruments.parsers import ParsedRow, ParseError, parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_icpms_report_keeps_sample_lines_only() -> None:
    rows = parse(read("icpms_masshunter_quant.csv"))
    assert [(r.line, r.sample_id, r.analyte, r.kind, r.value, r.unit) for r in rows] == [
        (14, "TJ240315001", "Pb", "numeric", "0.041", "mg/kg"),
        (14, "TJ240315001", "As", "numeric", "0.087", "mg/kg"),
        (14, "TJ240315001", "Cd", "below_lod", "", "mg/kg"),
        (15, "TJ240315002", "Pb", "numeric", "0.260", "mg/kg"),
        (15, "TJ240315002", "As", "numeric", "0.112", "mg/kg"),
        (15, "TJ240315002", "Cd", "numeric", "0.018", "mg/kg"),
    ]


def test_masshunter_quant_reads_each_compounds_final_concentration_of_sample_lines() -> None:
    """A real MassHunter Quant batch table (midar's test export, fixtures/README.md): the Cal
    and QC lines are skipped, qualifier ions and internal standards are not results, and a
    blank cell (no peak integrated) is not detected. midar's test files relabel one measured
    column as "Final Conc.", so these figures are what that column holds."""
    rows = parse(read("masshunter_quant_lcms.csv"))
    compounds = ["Corticosterone", "Aldosterone", "Cortisone", "Cortisol"]
    assert [(row.line, row.sample_id) for row in rows] == (
        [(3, "SBLK1")] * 4 + [(6, "SPL1")] * 4 + [(7, "SPL2")] * 4)
    assert [row.analyte for row in rows] == compounds * 3
    assert [(row.kind, row.value) for row in rows[:4]] == [
        ("not_detected", ""), ("not_detected", ""), ("numeric", "134"), ("numeric", "555")]
    assert [row.value for row in rows[4:]] == ["10322", "325", "5267", "27341",
                                                "9378", "372", "6607", "25860"]
    assert {row.unit for row in rows} == {""}  # the export has no units


def test_masshunter_quant_prefers_final_to_calculated_concentration() -> None:
    text = ("Sample,,,Lead Results,,\n"
            ",Name,Type,Calc. Conc.,Final Conc.,RT\n"
            ",TJ1,Sample,0.040,0.080,3.1\n")
    assert parse(text.encode()) == [ParsedRow(3, "TJ1", "Lead", "numeric", "0.080")]
    only_calculated = text.replace("Final Conc.", "Area")
    assert parse(only_calculated.encode())[0].value == "0.040"


def test_xrf_report_keeps_the_two_sigma_error_as_uncertainty() -> None:
    rows = parse(read("xrf_elements.csv"))
    assert len(rows) == 8
    assert rows[0] == ParsedRow(7, "TJ240317001", "Pb", "numeric", "37", "ppm", "8")
    assert rows[1] == ParsedRow(7, "TJ240317001", "Cd", "below_lod", "", "ppm", "")


def test_generic_csv_with_a_column_map() -> None:
    rows = parse(read("generic_results.csv"), "generic_csv",
                 {"sample_id": "Sample", "analyte": "Item", "value": "Result", "unit": "Unit"})
    assert rows == [ParsedRow(2, "TJ240318001", "PB", "numeric", "0.041", "mg/kg"),
                    ParsedRow(3, "TJ240318002", "PB", "below_lod", "", "mg/kg")]


def test_generic_csv_in_gb18030_is_read() -> None:
    content = "sample_id,analyte,value,unit\nTJ1,铅,未检出,mg/kg\n".encode("gb18030")
    assert parse(content) == [ParsedRow(2, "TJ1", "铅", "not_detected", "", "mg/kg")]


def error_of(content: bytes, export_format: str = "auto", column_map=None) -> tuple[int, str]:
    with pytest.raises(ParseError) as caught:
        parse(content, export_format, column_map)
    return caught.value.line, caught.value.template % caught.value.params


def test_truncated_icpms_report_names_the_line() -> None:
    text = read("icpms_masshunter_quant.csv").decode()
    truncated = text[:text.index("006SMPL.d") + 40]
    assert error_of(truncated.encode()) == (
        15, "expected 10 columns, found 4 (truncated or malformed line)")


def test_truncated_masshunter_quant_line_is_refused() -> None:
    text = read("masshunter_quant_lcms.csv").decode()
    truncated = text[:text.index(",Positive", text.index("SPL1"))]
    assert error_of(truncated.encode()) == (
        6, "expected 169 columns, found 10 (truncated or malformed line)")


@pytest.mark.parametrize(("content", "expected"), [
    (b"Name,Type,Lead\nTJ1,Sample,0.1\n",
     (1, "the first line must name the column groups (\u201cSample\u201d, then \u201c<compound>"
         " Results\u201d): not a MassHunter Quant batch table")),
    (b"Sample,,,Lead Results\n,Name,Data File,Calc. Conc.\n,TJ1,a.d,0.1\n",
     (2, "the header has no column \u201cType\u201d")),
    (b"Sample,,,Lead Results\n,Name,Type,Area\n,TJ1,Sample,0.1\n",
     (2, "no compound has a \u201cFinal Conc.\u201d or \u201cCalc. Conc.\u201d column")),
    (b"Sample,,,Lead Results\n,Name,Type,Calc. Conc.\n,TJ1,Sample,0.1x\n",
     (3, "\u201c0.1x\u201d in column \u201cLead Calc. Conc.\u201d is not a number")),
    (b"Sample,,,Lead Results\n,Name,Type,Calc. Conc.\n,Cal 1,Cal,0.1\n",
     (0, "the file holds no sample results")),
])
def test_bad_masshunter_quant_files_name_line_and_reason(content, expected) -> None:
    assert error_of(content, "chromatography_quant") == expected


@pytest.mark.parametrize(("content", "expected"), [
    (b"", (0, "the file is empty")),
    (b"sample_id,analyte,value\nS1,PB,abc\n",
     (2, "“abc” in column “value” is not a number")),
    (b"sample_id,analyte,value\nS1,,0.1\n", (2, "column “analyte” is empty")),
    (b"sample_id,analyte,value\nS1,PB\n",
     (2, "expected 3 columns, found 2 (truncated or malformed line)")),
    (b"sample,analyte,value\nS1,PB,0.1\n",
     (1, "the header has no column “sample_id” (the sample number or barcode)")),
    (b"sample_id,element,value\nS1,PB,0.1\n",
     (1, "the header has no column “analyte” (the analyte)")),
    (b"sample_id,analyte,result\nS1,PB,0.1\n",
     (1, "the header has no column “value” (the measured value)")),
    (b"sample_id,analyte,value\n", (0, "the file holds no sample results")),
    (b"\xff\xfe\xfa\x00", (0, "the file is neither UTF-8 nor GB18030 text")),
    (b"sample_id,analyte,value\nS1,PB,inf\n",
     (2, "“inf” in column “value” is not a number")),
])
def test_bad_generic_files_name_line_and_reason(content, expected) -> None:
    assert error_of(content) == expected


def test_xrf_without_units_is_refused() -> None:
    text = read("xrf_elements.csv").decode().replace("Units,ppm\n", "")
    assert error_of(text.encode()) == (4, "the report does not say its units (“Units,ppm”)")


def test_declared_format_that_does_not_match_is_refused() -> None:
    assert error_of(read("generic_results.csv"), "icpms_masshunter") == (
        0, "no “Data File” header line: not a MassHunter quantitative report")
