"""ICP-MS quantitative report in the layout of Agilent MassHunter's batch export.

A header block (batch, instrument, method...), then two header lines: the first names each
element group ("208  Pb  [ He ]": mass, element, tune mode), the second the columns inside
it ("Conc. [ mg/kg ]", "Conc. RSD"). One line per acquisition; only Type "Sample" lines are
results, calibration blanks, standards and QC checks are skipped.
"""

from __future__ import annotations

import csv
import io
import re

from portlab.instruments.parsers import ParsedRow, ParseError, _, measurement

SIGNATURE = "ICP-MS MassHunter"
ELEMENT = re.compile(r"^\s*(\d+)\s+([A-Z][a-z]?)\b")
CONCENTRATION = re.compile(r"^Conc\.\s*\[\s*(.+?)\s*\]$")


def _header_line(lines: list[list[str]]) -> int:
    for index, cells in enumerate(lines):
        if cells and cells[0].strip() == "Data File":
            return index
    raise ParseError(0, _("no “Data File” header line: not a MassHunter quantitative report"))


def _element_columns(groups: list[str], columns: list[str], line: int) -> list[tuple]:
    """(element, column index, unit) of each concentration column."""
    found, element = [], ""
    for index, column in enumerate(columns):
        label = groups[index].strip() if index < len(groups) else ""
        if label:  # a new group: an element ("208  Pb  [ He ]") or the sample columns
            match = ELEMENT.match(label)
            element = match.group(2) if match else ""
        unit = CONCENTRATION.match(column.strip())
        if unit and element:
            found.append((element, index, unit.group(1)))
    if not found:
        raise ParseError(line, _("no “Conc. [ unit ]” column"))
    return found


def parse(text: str) -> list[ParsedRow]:
    lines = list(csv.reader(io.StringIO(text)))
    header = _header_line(lines)
    if header == 0:
        raise ParseError(1, _("the element header line is missing above “Data File”"))
    columns = [cell.strip() for cell in lines[header]]
    elements = _element_columns(lines[header - 1], columns, header + 1)
    for needed in ("Type", "Sample Name"):
        if needed not in columns:
            raise ParseError(header + 1, _("the header has no column “%(column)s”"),
                             column=needed)
    type_at, name_at = columns.index("Type"), columns.index("Sample Name")
    rows: list[ParsedRow] = []
    for number, cells in enumerate(lines[header + 1:], start=header + 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise ParseError(number, _("expected %(expected)d columns, found %(found)d "
                                       "(truncated or malformed line)"),
                             expected=len(columns), found=len(cells))
        if cells[type_at].strip() != "Sample":
            continue
        for element, index, unit in elements:
            kind, value = measurement(cells[index], number, f"{element} {columns[index]}")
            rows.append(ParsedRow(line=number, sample_id=cells[name_at].strip(),
                                  analyte=element, kind=kind, value=value, unit=unit))
    return rows
