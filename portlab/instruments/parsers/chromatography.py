"""GC-MS / LC-MS quantitation report: one block per sample, each with a compound table.

    Sample Name: TJ240316001
    Sample Type: Sample
    Compound,RT,Response,Calc. Conc.,Units
    Chlorpyrifos,12.381,184233,0.052,mg/kg

Blocks whose Sample Type is not "Sample" (QC mixes, blanks, calibrants) are skipped.
"""

from __future__ import annotations

import csv

from portlab.instruments.parsers import ParsedRow, ParseError, _, measurement

SIGNATURE = "Quantitation Report"
TABLE_HEADER = ["Compound", "RT", "Response", "Calc. Conc.", "Units"]


class _Block:
    def __init__(self, name: str, line: int):
        self.name, self.line, self.kind, self.has_table = name, line, "Sample", False


def _key_value(raw: str) -> tuple[str, str]:
    key, _separator, value = raw.partition(":")
    return key.strip(), value.strip()


def _check_complete(block: _Block | None) -> None:
    if block is not None and not block.has_table:
        raise ParseError(block.line, _("sample “%(sample)s” has no compound table "
                                       "(truncated file?)"), sample=block.name)


def parse(text: str) -> list[ParsedRow]:
    rows: list[ParsedRow] = []
    block: _Block | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        key, value = _key_value(line)
        if key == "Sample Name":
            _check_complete(block)
            block = _Block(value, number)
        elif block is None or not line:
            continue
        elif key == "Sample Type":
            block.kind = value
        elif line.replace(" ", "").startswith("Compound,"):
            if [cell.strip() for cell in line.split(",")] != TABLE_HEADER:
                raise ParseError(number, _("the compound table header must be “%(header)s”"),
                                 header=", ".join(TABLE_HEADER))
            block.has_table = True
        elif block.has_table:
            row = _compound(line, number, block)
            if row is not None:
                rows.append(row)
    if block is None:
        raise ParseError(0, _("no “Sample Name:” block: not a quantitation report"))
    _check_complete(block)
    return rows


def _compound(line: str, number: int, block: _Block) -> ParsedRow | None:
    cells = next(csv.reader([line]))
    if len(cells) != len(TABLE_HEADER):
        raise ParseError(number, _("expected %(expected)d columns, found %(found)d "
                                   "(truncated or malformed line)"),
                         expected=len(TABLE_HEADER), found=len(cells))
    compound, _rt, _response, concentration, unit = (cell.strip() for cell in cells)
    kind, value = measurement(concentration, number, "Calc. Conc.")
    if block.kind != "Sample":
        return None
    return ParsedRow(line=number, sample_id=block.name, analyte=compound, kind=kind, value=value,
                     unit=unit)
