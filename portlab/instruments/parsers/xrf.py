"""XRF element report in the layout of handheld analysers' CSV export (e.g. Niton XL5).

A few "Key,Value" lines (serial number, export date, "Units,ppm"), then one line per reading:
"Reading No,Time,Mode,Sample ID,Duration,Pb,Pb +/-,Cd,Cd +/-,...". The "+/-" column is the
2-sigma counting error, kept as the result's uncertainty. "Cal Check" readings are skipped.
"""

from __future__ import annotations

import csv
import io

from portlab.instruments.parsers import ParsedRow, ParseError, _, measurement

SIGNATURE = "Element Report"
ERROR_SUFFIX = " +/-"


def _layout(lines: list[list[str]]) -> tuple[int, str]:
    unit = ""
    for index, cells in enumerate(lines):
        first = cells[0].strip() if cells else ""
        if first == "Units" and len(cells) > 1:
            unit = cells[1].strip()
        if first == "Reading No":
            return index, unit
    raise ParseError(0, _("no “Reading No” header line: not an XRF element report"))


def parse(text: str) -> list[ParsedRow]:
    lines = list(csv.reader(io.StringIO(text)))
    header, unit = _layout(lines)
    if not unit:
        raise ParseError(header + 1, _("the report does not say its units (“Units,ppm”)"))
    columns = [cell.strip() for cell in lines[header]]
    if "Sample ID" not in columns or "Mode" not in columns:
        raise ParseError(header + 1, _("the header needs “Mode” and “Sample ID” columns"))
    elements = [(name, index, columns.index(name + ERROR_SUFFIX)
                 if name + ERROR_SUFFIX in columns else None)
                for index, name in enumerate(columns[5:], start=5)
                if not name.endswith(ERROR_SUFFIX)]
    rows: list[ParsedRow] = []
    for number, cells in enumerate(lines[header + 1:], start=header + 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise ParseError(number, _("expected %(expected)d columns, found %(found)d "
                                       "(truncated or malformed line)"),
                             expected=len(columns), found=len(cells))
        if cells[columns.index("Mode")].strip() == "Cal Check":
            continue
        sample = cells[columns.index("Sample ID")].strip()
        for element, index, error_at in elements:
            kind, value = measurement(cells[index], number, element)
            error = cells[error_at].strip() if error_at is not None and kind == "numeric" else ""
            rows.append(ParsedRow(line=number, sample_id=sample, analyte=element, kind=kind,
                                  value=value, unit=unit, uncertainty=error))
    return rows
