"""GC-MS / LC-MS results in the layout of Agilent MassHunter Quantitative Analysis's batch
table exported as CSV (wide layout: one line per injection, one column group per compound).

Built from real exports: the MassHunter Quant test exports published with midar
(github.com/SLINGhub/midar, tests/testthat/testdata, BSD-3-Clause; one is trimmed into
fixtures/masshunter_quant_lcms.csv, see fixtures/README.md). Their layout:

- line 1 names the column groups: "Sample" over the sample columns, then for each compound
  "<compound> Method" and "<compound> Results"; qualifier ions have their own
  "Qualifier (m/z -> m/z) Method/Results" groups, internal standards are named "... (ISTD)";
- line 2 names the columns: the sample group has "Name", "Data File", "Type" (Sample, Cal,
  QC, Blank...), "Level", "Acq. Date-Time"...; a Results group has "RT", "Final Conc."
  and/or "Calc. Conc.", "Area", "Height"...; the first two columns hold MassHunter's outlier
  and quantitation-message flags ("!").

Only "Sample" lines are results. Each compound's "Final Conc." (corrected for dilution and
sample amount) is read, else its "Calc. Conc."; qualifier ions and internal standards are not
results. A blank concentration is a compound with no peak integrated: read as not detected.
The export carries no units: the capability's own unit applies.
"""

from __future__ import annotations

import csv
import io

from portlab.instruments.parsers import ParsedRow, ParseError, _, measurement

CONCENTRATIONS = ("Final Conc.", "Calc. Conc.")  # in order of preference
RESULTS = " Results"


def is_masshunter_quant(first_line: str) -> bool:
    """Whether a file's first line is a MassHunter Quant batch table's group line."""
    return first_line.startswith("Sample,") and RESULTS + "," in first_line + ","


def _compound_columns(groups: list[str], columns: list[str]) -> list[tuple[str, int]]:
    """(compound, column index of its concentration) for each reportable compound."""
    spans: list[tuple[str, int, int]] = []
    for index, label in enumerate(groups):
        if label.strip():
            spans.append((label.strip(), index, len(columns)))
            if len(spans) > 1:
                name, start, _end = spans[-2]
                spans[-2] = (name, start, index)
    found = []
    for label, start, end in spans:
        compound = label[:-len(RESULTS)] if label.endswith(RESULTS) else ""
        if not compound or compound.startswith("Qualifier") or "(ISTD)" in compound:
            continue
        inside = [column.strip() for column in columns[start:end]]
        for wanted in CONCENTRATIONS:
            if wanted in inside:
                found.append((compound, start + inside.index(wanted)))
                break
    if not found:
        raise ParseError(2, _("no compound has a “Final Conc.” or “Calc. Conc.” column"))
    return found


def parse(text: str) -> list[ParsedRow]:
    lines = list(csv.reader(io.StringIO(text)))
    if len(lines) < 2 or not is_masshunter_quant(",".join(lines[0])):
        raise ParseError(1, _("the first line must name the column groups (“Sample”, then "
                              "“<compound> Results”): not a MassHunter Quant batch table"))
    columns = [cell.strip() for cell in lines[1]]
    for needed in ("Name", "Type"):
        if needed not in columns:
            raise ParseError(2, _("the header has no column “%(column)s”"), column=needed)
    compounds = _compound_columns(lines[0], columns)
    type_at, name_at = columns.index("Type"), columns.index("Name")
    rows: list[ParsedRow] = []
    for number, cells in enumerate(lines[2:], start=3):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise ParseError(number, _("expected %(expected)d columns, found %(found)d "
                                       "(truncated or malformed line)"),
                             expected=len(columns), found=len(cells))
        if cells[type_at].strip() != "Sample":
            continue
        rows += [_row(cells, number, name_at, compound, index, columns[index])
                 for compound, index in compounds]
    if not rows:
        raise ParseError(0, _("the file holds no sample results"))
    return rows


def _row(cells: list[str], number: int, name_at: int, compound: str, index: int,
         column: str) -> ParsedRow:
    if not cells[index].strip():
        kind, value = "not_detected", ""
    else:
        kind, value = measurement(cells[index], number, f"{compound} {column}")
    return ParsedRow(line=number, sample_id=cells[name_at].strip(), analyte=compound,
                     kind=kind, value=value)
