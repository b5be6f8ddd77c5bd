"""ICP-MS results in the layout of PerkinElmer Syngistix's CSV export (NexION).

Built from a published description, not from a real export file (none was available):
SENAITE.CORE's Syngistix import interface ("Perkin ELMER-PRO ICP",
`PerkinelmerSyngistixCSV2Parser`, GPL-2.0; no code taken) reads the export as
semicolon-separated text whose first line names the columns, among them "Sample ID",
"Elem" (the element symbol), "Analyte Name" (e.g. "Pb 208") and "Reported Conc (Samp)"
(the concentration in the sample's units), one line per sample and element; every line has
as many fields as the header. senaite.instruments' NexION 350X and WinLab32 notes describe the
same "Sample ID" / "Analyte Name" columns. A "Sample Units" column is read when present;
without it the capability's own unit applies. Lines of calibration blanks and standards
("Sample ID" empty, or a "Sample Type" other than "Sample" when that column is present) are
skipped.
"""

from __future__ import annotations

import csv
import io

from portlab.instruments.parsers import ParsedRow, ParseError, _, measurement

SIGNATURE = "Reported Conc (Samp)"
REQUIRED = ("Sample ID", "Elem", "Reported Conc (Samp)")


def _header(lines: list[list[str]]) -> list[str]:
    if not lines:
        raise ParseError(1, _("the file has no header line"))
    columns = [cell.strip() for cell in lines[0]]
    for needed in REQUIRED:
        if needed not in columns:
            raise ParseError(1, _("the header has no column “%(column)s”: not a Syngistix "
                                  "export"), column=needed)
    return columns


def _is_result(cells: dict[str, str]) -> bool:
    kind = cells.get("Sample Type", "Sample").strip()
    return bool(cells["Sample ID"].strip()) and kind in ("", "Sample")


def parse(text: str) -> list[ParsedRow]:
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    columns = _header(lines)
    rows: list[ParsedRow] = []
    for number, raw in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(columns):
            raise ParseError(number, _("expected %(expected)d columns, found %(found)d "
                                       "(truncated or malformed line)"),
                             expected=len(columns), found=len(raw))
        cells = dict(zip(columns, raw, strict=True))
        if not _is_result(cells):
            continue
        element = cells["Elem"].strip()
        if not element:
            raise ParseError(number, _("the column “Elem” is empty"))
        kind, value = measurement(cells["Reported Conc (Samp)"], number, "Reported Conc (Samp)")
        rows.append(ParsedRow(line=number, sample_id=cells["Sample ID"].strip(),
                              analyte=element, kind=kind, value=value,
                              unit=cells.get("Sample Units", "").strip()))
    return rows
