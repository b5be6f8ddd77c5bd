"""Reading and writing capability-catalog rows as CSV or XLSX (no Django)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

COLUMNS = [
    "lab_code", "test_item_code", "test_item_name_zh", "test_item_name_en", "standard_code",
    "method_code", "clause", "technique", "accredited", "lod", "loq", "unit", "price",
    "turnaround_days", "daily_capacity",
]
REQUIRED = ["lab_code", "test_item_code", "standard_code", "method_code", "technique", "unit",
            "price", "turnaround_days", "daily_capacity"]
TRUE = {"1", "true", "yes", "y", "是"}
FALSE = {"0", "false", "no", "n", "否", ""}


def _(template: str) -> str:
    """Marks a message for translation; the caller translates it (this module has no Django)."""
    return template


class RowError(ValueError):
    """A bad cell: `template % params` is the reason, translatable by the caller."""

    def __init__(self, line: int, column: str, template: str, **params: object):
        self.line, self.column, self.template, self.params = line, column, template, params
        super().__init__(f"line {line}, column {column}: {self.reason}")

    @property
    def reason(self) -> str:
        return self.template % self.params


@dataclass
class CatalogRow:
    line: int
    lab_code: str
    test_item_code: str
    test_item_name_zh: str
    test_item_name_en: str
    standard_code: str
    method_code: str
    clause: str
    technique: str
    accredited: bool
    lod: float | None
    loq: float | None
    unit: str
    price: Decimal
    turnaround_days: int
    daily_capacity: int


def _number(raw: str, line: int, column: str, kind: type) -> float | int | Decimal | None:
    if raw == "":
        return None
    try:
        value = kind(raw)
    except (ValueError, InvalidOperation):
        raise RowError(line, column, _("“%(raw)s” is not a number"), raw=raw) from None
    if value < 0:
        raise RowError(line, column, _("%(raw)s is negative"), raw=raw)
    return value


def _boolean(raw: str, line: int) -> bool:
    text = raw.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise RowError(line, "accredited", _("“%(raw)s” is not yes/no"), raw=raw)


def parse_row(line: int, raw: dict[str, str]) -> CatalogRow:
    values = {column: str(raw.get(column) or "").strip() for column in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            raise RowError(line, column, _("is empty"))
    row = CatalogRow(
        line=line, **{c: values[c] for c in COLUMNS if c not in _TYPED},
        accredited=_boolean(values["accredited"], line),
        lod=_number(values["lod"], line, "lod", float),
        loq=_number(values["loq"], line, "loq", float),
        price=_number(values["price"], line, "price", Decimal),
        turnaround_days=_number(values["turnaround_days"], line, "turnaround_days", int),
        daily_capacity=_number(values["daily_capacity"], line, "daily_capacity", int),
    )
    if row.daily_capacity == 0:
        raise RowError(line, "daily_capacity", _("must be at least 1"))
    if row.lod is not None and row.loq is not None and row.loq < row.lod:
        raise RowError(line, "loq", _("LOQ %(loq)s is below LOD %(lod)s"), loq=row.loq, lod=row.lod)
    return row


_TYPED = {"accredited", "lod", "loq", "price", "turnaround_days", "daily_capacity"}


def read_records(content: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, column → text) from a CSV (UTF-8, BOM allowed) or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        yield from _read_xlsx(content)
    elif filename.lower().endswith(".csv"):
        yield from _read_csv(content)
    else:
        raise RowError(0, "file", _("must be .csv or .xlsx"))


def _check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RowError(1, ", ".join(missing), _("missing from the header row"))


def _read_csv(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RowError(0, "file", _("is not UTF-8 text")) from error
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    _check_header(header)
    for line, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            yield line, dict(zip(header, cells, strict=False))


def _read_xlsx(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise RowError(0, "file", _("is not a readable XLSX workbook")) from error
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    _check_header(header)
    for line, cells in enumerate(rows, start=2):
        texts = ["" if c is None else _cell_text(c) for c in cells]
        if any(texts):
            yield line, dict(zip(header, texts, strict=False))


def _cell_text(cell: object) -> str:
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _row_values(row: CatalogRow) -> list:
    values = {f.name: getattr(row, f.name) for f in fields(row)}
    values["accredited"] = "yes" if row.accredited else "no"
    return ["" if values[c] is None else values[c] for c in COLUMNS]


def write_csv(rows: list[CatalogRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_row_values(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(rows: list[CatalogRow]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("capabilities")
    sheet.append(COLUMNS)
    for row in rows:
        values = _row_values(row)
        values[COLUMNS.index("price")] = float(row.price)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
