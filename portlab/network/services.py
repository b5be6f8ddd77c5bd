"""Writes to the network and its catalog: the all-or-nothing capability import, reported
chunk by chunk."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.network import catalog_rows
from portlab.network.accreditation import covered_keys
from portlab.network.catalog_rows import CatalogRow, RowError
from portlab.network.models import Capability, Lab, Method, Standard, TestItem
from portlab.network.selectors import catalog_rows_for

MAX_LISTED_ERRORS = 50
CAPABILITY_FIELDS = ["accredited", "lod", "loq", "unit", "price", "turnaround_days",
                     "daily_capacity"]
CHUNK = 2000  # rows checked, then written, between two progress reports
# Called as progress(stage, rows done, rows in the file) after each chunk checked ("check"),
# once before the write's transaction opens ("write", 0) and after each chunk written inside it
# ("write"); it may raise to stop the import, which then writes nothing.
ProgressCallback = Callable[[str, int, int], None]


class CatalogImportError(ApplicationError):
    """The file had bad rows: nothing was imported. `errors` lists (line, column, reason)."""

    def __init__(self, errors: list[dict]):
        first = errors[0]
        super().__init__(
            _("Nothing was imported: %(count)d problem(s), the first on line %(line)s "
              "(%(column)s): %(reason)s")
            % {"count": len(errors), **first},
            field="file", extra={"errors": errors[:MAX_LISTED_ERRORS]},
        )
        self.errors = errors


@dataclass
class ImportSummary:
    rows: int
    created: int
    updated: int
    labs: list[str] = field(default_factory=list)


def _translated(error: RowError) -> dict:
    return {"line": error.line, "column": error.column,
            "reason": _(error.template) % error.params}


def _parse(content: bytes, filename: str) -> tuple[list[CatalogRow], list[dict], int]:
    """The rows read, the errors found, and how many rows could not be read at all."""
    rows: list[CatalogRow] = []
    errors: list[dict] = []
    seen: dict = {}
    unread = 0
    try:
        for line, record in catalog_rows.read_records(content, filename):
            try:
                row = catalog_rows.parse_row(line, record)
            except RowError as error:
                errors.append(_translated(error))
                unread += 1
                continue
            key = (row.lab_code, row.test_item_code, row.method_code)
            if key in seen:
                errors.append({"line": line, "column": "method_code",
                               "reason": _("repeats line %d") % seen[key]})
            seen[key] = line
            rows.append(row)
    except RowError as error:
        errors.append(_translated(error))
    if not rows and not errors:
        errors.append({"line": 1, "column": "file", "reason": _("has no data rows")})
    return rows, errors, unread


def _check_labs(actor: User, rows: list[CatalogRow], errors: list[dict],
                labs: dict[str, Lab]) -> None:
    """Adds the rows' labs to `labs` (kept across chunks); a row of an unknown lab, or of one
    the importer does not manage, is an error."""
    new = {r.lab_code for r in rows} - set(labs)
    labs.update({lab.code: lab for lab in Lab.objects.filter(code__in=new)})
    allowed = {code: access.may(actor, "capability.edit", lab=lab) for code, lab in labs.items()
               if code in {r.lab_code for r in rows}}
    for row in rows:
        if row.lab_code not in labs:
            errors.append({"line": row.line, "column": "lab_code",
                           "reason": _("no lab has code “%s”") % row.lab_code})
        elif not allowed[row.lab_code]:
            errors.append({"line": row.line, "column": "lab_code",
                           "reason": _("you do not manage lab %s") % row.lab_code})


def _check_methods(rows: list[CatalogRow], errors: list[dict], known: dict[str, str]) -> None:
    """A method belongs to one standard: the catalog's, or the first row's naming it (`known`
    is kept across chunks)."""
    new = {r.method_code for r in rows} - set(known)
    known.update(Method.objects.filter(code__in=new).values_list("code", "standard__code"))
    for row in rows:
        standard = known.setdefault(row.method_code, row.standard_code)
        if standard != row.standard_code:
            errors.append({"line": row.line, "column": "standard_code",
                           "reason": _("method %(method)s belongs to %(standard)s")
                           % {"method": row.method_code, "standard": standard}})


def _check_definitions(rows: list[CatalogRow], errors: list[dict]) -> None:
    """For importers without a network role: rows may only name test items, methods and
    standards the network catalog already holds, under the names it gives them."""
    items = {i.code: i for i in TestItem.objects.filter(code__in={r.test_item_code for r in rows})}
    methods = {m.code: m for m in Method.objects.filter(code__in={r.method_code for r in rows})}
    for row in rows:
        item, method = items.get(row.test_item_code), methods.get(row.method_code)
        if item is None or method is None:
            column, code = ("test_item_code", row.test_item_code) if item is None else (
                "method_code", row.method_code)
            errors.append({"line": row.line, "column": column, "reason": _(
                "“%s” is not in the network catalog; only network roles add to it") % code})
        elif (row.test_item_name_zh, row.test_item_name_en or item.name_en) != (
                item.name_zh, item.name_en):
            errors.append({"line": row.line, "column": "test_item_name_zh", "reason": _(
                "renames test item %s, a network-wide definition; only network roles rename "
                "it") % item.code})
        elif (row.clause, row.technique) != (method.clause, method.technique):
            errors.append({"line": row.line, "column": "clause", "reason": _(
                "changes method %s, a network-wide definition; only network roles change it")
                % method.code})


def _check_accreditation(rows: list[CatalogRow], labs: dict[str, Lab],
                         errors: list[dict]) -> None:
    """A row may mark a capability accredited only where it already is, or where the lab's
    CNAS scope, recorded by its quality manager, covers the test item and method."""
    claimed = [r for r in rows if r.accredited and r.lab_code in labs]
    if not claimed:
        return
    items = dict(TestItem.objects.filter(code__in={r.test_item_code for r in claimed})
                 .values_list("code", "id"))
    methods = dict(Method.objects.filter(code__in={r.method_code for r in claimed})
                   .values_list("code", "id"))
    lab_ids = {lab.id for lab in labs.values()}
    covered = covered_keys(lab_ids) | set(
        Capability.objects.filter(lab_id__in=lab_ids, accredited=True)
        .values_list("lab_id", "test_item_id", "method_id"))
    for row in claimed:
        key = (labs[row.lab_code].id, items.get(row.test_item_code),
               methods.get(row.method_code))
        if key not in covered:
            errors.append({"line": row.line, "column": "accredited", "reason": _(
                "not in the CNAS accreditation scope of %s; its quality manager records the "
                "scope entry first") % row.lab_code})


class _Definitions:
    """The standards, test items and methods a file names: each written once, in the chunk
    where it first appears, with the values of the last row naming it (as one pass over the
    whole file would leave them)."""

    def __init__(self, rows: list[CatalogRow]):
        self.items = {r.test_item_code: r for r in rows}
        self.methods = {r.method_code: r for r in rows}
        self.standard_ids: dict[str, int] = {}
        self.item_ids: dict[str, int] = {}
        self.method_ids: dict[str, int] = {}

    def write(self, rows: list[CatalogRow]) -> None:
        codes = sorted({r.standard_code for r in rows} - self.standard_ids.keys())
        Standard.objects.bulk_create([Standard(code=code, name_zh=code) for code in codes],
                                     ignore_conflicts=True)
        self.standard_ids.update(Standard.objects.filter(code__in=codes)
                                 .values_list("code", "id"))
        codes = sorted({r.test_item_code for r in rows} - self.item_ids.keys())
        TestItem.objects.bulk_create(
            [TestItem(code=code, unit=self.items[code].unit,
                      name_zh=self.items[code].test_item_name_zh or code,
                      name_en=self.items[code].test_item_name_en) for code in codes],
            update_conflicts=True, unique_fields=["code"], update_fields=["name_zh", "name_en"])
        self.item_ids.update(TestItem.objects.filter(code__in=codes).values_list("code", "id"))
        codes = sorted({r.method_code for r in rows} - self.method_ids.keys())
        Method.objects.bulk_create(
            [Method(code=code, standard_id=self.standard_ids[self.methods[code].standard_code],
                    clause=self.methods[code].clause, technique=self.methods[code].technique)
             for code in codes],
            update_conflicts=True, unique_fields=["code"], update_fields=["clause", "technique"])
        self.method_ids.update(Method.objects.filter(code__in=codes).values_list("code", "id"))


def _upsert_capabilities(rows: list[CatalogRow], labs: dict[str, Lab],
                         definitions: _Definitions) -> None:
    definitions.write(rows)
    Capability.objects.bulk_create(
        [Capability(lab_id=labs[r.lab_code].id, test_item_id=definitions.item_ids[r.test_item_code],
                    method_id=definitions.method_ids[r.method_code],
                    **{name: getattr(r, name) for name in CAPABILITY_FIELDS}) for r in rows],
        update_conflicts=True, unique_fields=["lab", "test_item", "method"],
        update_fields=CAPABILITY_FIELDS, batch_size=2000,
    )


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _checked(actor: User, content: bytes, filename: str, progress: ProgressCallback,
             chunk: int) -> tuple[list[CatalogRow], dict[str, Lab]]:
    """The file's rows and their labs, checked chunk by chunk (counted with the rows that could
    not be read); any bad row raises, with every bad row listed."""
    rows, errors, unread = _parse(content, filename)
    labs: dict[str, Lab] = {}
    methods: dict[str, str] = {}
    may_define = access.may(actor, "catalog.define")
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        _check_labs(actor, part, errors, labs)
        _check_methods(part, errors, methods)
        if not may_define:
            _check_definitions(part, errors)
        _check_accreditation(part, labs, errors)
        progress("check", unread + start + len(part), unread + len(rows))
    if errors:
        raise CatalogImportError(sorted(errors, key=lambda e: e["line"]))
    return rows, labs


def _existing(rows: list[CatalogRow], labs: dict[str, Lab]) -> int:
    """How many of the rows' capabilities exist already (by lab, test item and method code)."""
    keys = {(r.lab_code, r.test_item_code, r.method_code) for r in rows}
    return sum(1 for key in Capability.objects.filter(lab__in=labs.values()).values_list(
        "lab__code", "test_item__code", "method__code") if key in keys)


def catalog_import(*, actor: User, content: bytes, filename: str,
                   progress: ProgressCallback = _no_progress,
                   chunk: int | None = None) -> ImportSummary:
    """Create or update capabilities from a CSV/XLSX file, all or nothing. The rows are checked
    chunk by chunk (nothing is written yet), then written chunk by chunk in one transaction:
    a bad row, or a stop asked between chunks (`progress` raising), imports nothing."""
    access.require(actor, "capability.edit")
    chunk = chunk or CHUNK
    rows, labs = _checked(actor, content, filename, progress, chunk)
    progress("write", 0, len(rows))
    with transaction.atomic():
        existing = _existing(rows, labs)
        definitions = _Definitions(rows)
        for start in range(0, len(rows), chunk):
            _upsert_capabilities(rows[start:start + chunk], labs, definitions)
            progress("write", min(start + chunk, len(rows)), len(rows))
        summary = ImportSummary(rows=len(rows), created=len(rows) - existing,
                                updated=existing, labs=sorted(labs))
        audit_record(actor=actor, action="catalog_import", entity=next(iter(labs.values())),
                     after={"file": filename, "rows": summary.rows,
                            "created": summary.created, "labs": summary.labs})
    return summary


def catalog_export(*, lab_ids: list[int] | None, file_format: str) -> bytes:
    rows = catalog_rows_for(lab_ids)
    if file_format == "xlsx":
        return catalog_rows.write_xlsx(rows)
    return catalog_rows.write_csv(rows)
