"""Generic CSV: one result per row, columns named by a mapping (sample_id, analyte, value, unit)."""

from __future__ import annotations

import csv
import io

from portlab.instruments.parsers import ParsedRow, ParseError, _, measurement

DEFAULT_MAP = {"sample_id": "sample_id", "analyte": "analyte", "value": "value", "unit": "unit",
               "uncertainty": "uncertainty"}
REQUIRED = ("sample_id", "analyte", "value")
# A missing column is named as the file's header spells it, and what it was to hold in words
# (translated by the caller), never by the mapping's internal key.
MISSING = {
    "sample_id": _("the header has no column “%(column)s” (the sample number or barcode)"),
    "analyte": _("the header has no column “%(column)s” (the analyte)"),
    "value": _("the header has no column “%(column)s” (the measured value)"),
}


def _columns(header: list[str], column_map: dict[str, str]) -> dict[str, int]:
    names = [name.strip() for name in header]
    positions: dict[str, int] = {}
    for key, column in column_map.items():
        if column in names:
            positions[key] = names.index(column)
        elif key in REQUIRED:
            raise ParseError(1, MISSING[key], column=column)
    return positions


def parse(text: str, column_map: dict[str, str] | None = None) -> list[ParsedRow]:
    mapping = {**DEFAULT_MAP, **(column_map or {})}
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError(1, _("the file has no header line")) from None
    except csv.Error as error:
        raise ParseError(1, _("unreadable CSV: %(reason)s"), reason=str(error)) from None
    positions = _columns(header, mapping)
    rows: list[ParsedRow] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_row(cells, line, len(header), positions, mapping))
    except csv.Error as error:
        raise ParseError(reader.line_num, _("unreadable CSV: %(reason)s"),
                         reason=str(error)) from None
    return rows


def _row(cells: list[str], line: int, width: int, positions: dict[str, int],
         mapping: dict[str, str]) -> ParsedRow:
    if len(cells) != width:
        raise ParseError(line, _("expected %(expected)d columns, found %(found)d "
                                 "(truncated or malformed line)"),
                         expected=width, found=len(cells))

    def cell(key: str) -> str:
        return cells[positions[key]].strip() if key in positions else ""

    for key in ("sample_id", "analyte"):
        if not cell(key):
            raise ParseError(line, _("column “%(column)s” is empty"), column=mapping[key])
    kind, value = measurement(cell("value"), line, mapping["value"])
    uncertainty = cell("uncertainty")
    if uncertainty:
        measurement(uncertainty, line, mapping["uncertainty"])
    return ParsedRow(line=line, sample_id=cell("sample_id"), analyte=cell("analyte"), kind=kind,
                     value=value, unit=cell("unit"), uncertainty=uncertainty)
