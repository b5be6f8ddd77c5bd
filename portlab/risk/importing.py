"""Importing declaration history from CSV: every row checked first, then all or nothing.

Columns: those of `declarations.FIELDS` (header names as there), plus an optional
`nonconforming` column (1, 0 or empty) carrying the known outcome for training. Importing the
same file twice changes nothing; a number already registered with other content is an error.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import Enterprise, User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.risk import services
from portlab.risk.declarations import FIELDS, REQUIRED, CleanDeclaration, FieldProblem
from portlab.risk.declarations import declaration_clean as clean_row
from portlab.risk.exchange_rates import RateTable
from portlab.risk.models import Declaration

LABEL_FIELD = "nonconforming"
LABELS = {"1": True, "0": False, "": None}
COMPARED = ("declared_on", "office", "importer_code", "hs_code", "origin_country",
            "net_mass_kg", "value", "currency")


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ApplicationError(_("Line 1: missing column(s) %s; nothing was imported.")
                               % ", ".join(missing), field="header", extra={"line": 1})
    reader.fieldnames = header
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ApplicationError(
                _("Line %(line)d: expected %(count)d fields; nothing was imported.")
                % {"line": reader.line_num, "count": len(header)}, extra={"line": reader.line_num})
        yield reader.line_num, row


def _label(row: dict[str, str], line: int) -> bool | None:
    value = (row.get(LABEL_FIELD) or "").strip()
    if value not in LABELS:
        raise services.field_error(
            FieldProblem(LABEL_FIELD, "must be 1, 0 or empty, got “%(value)s”", value=value),
            line)
    return LABELS[value]


def _same(existing: Declaration, clean: CleanDeclaration) -> bool:
    return all(getattr(existing, name) == getattr(clean, name) for name in COMPARED)


def _checked(text: str) -> list[tuple[int, CleanDeclaration, bool | None]]:
    checked, lines = [], {}
    for line, row in _rows(text):
        try:
            clean = clean_row({name: row.get(name, "") for name in FIELDS})
        except FieldProblem as problem:
            raise services.field_error(problem, line) from problem
        if clean.number in lines:
            raise ApplicationError(
                _("Line %(line)d: declaration %(number)s already appears on line %(first)d; "
                  "nothing was imported.") % {"line": line, "number": clean.number,
                                              "first": lines[clean.number]},
                field="number", extra={"line": line})
        lines[clean.number] = line
        checked.append((line, clean, _label(row, line)))
    return checked


def _importers(codes: set[str]) -> dict[str, Enterprise]:
    found = {}
    for enterprise in Enterprise.objects.filter(Q(credit_code__in=codes)
                                                | Q(customs_code__in=codes)):
        found[enterprise.credit_code] = enterprise
        if enterprise.customs_code:
            found[enterprise.customs_code] = enterprise
    return found


@transaction.atomic
def declarations_import(*, actor: User, text: str, source: str = "") -> dict[str, int]:
    """Import declaration history; returns counts of created and unchanged declarations."""
    checked = _checked(text)
    existing = Declaration.objects.in_bulk([c.number for _line, c, _l in checked],
                                           field_name="number")
    importers = _importers({c.importer_code for _line, c, _l in checked})
    fresh, rates = [], RateTable()
    for line, clean, label in checked:
        if clean.number in existing:
            if not _same(existing[clean.number], clean):
                raise ApplicationError(
                    _("Line %(line)d: declaration %(number)s is already registered with other "
                      "content; nothing was imported.") % {"line": line, "number": clean.number},
                    field="number", extra={"line": line})
            continue
        try:
            declaration = services.declaration_build(clean, importers.get(clean.importer_code),
                                                     rates)
        except ApplicationError as error:
            raise ApplicationError(
                _("Line %(line)d: %(reason)s Nothing was imported.")
                % {"line": line, "reason": error.message},
                field=error.field, extra={"line": line}) from error
        if label is not None:
            declaration.nonconforming, declaration.label_source = label, "import"
            declaration.labelled_at = timezone.now()
        fresh.append(declaration)
    created = Declaration.objects.bulk_create(fresh, batch_size=1000)
    if created:
        first = Declaration.objects.get(number=created[0].number)
        audit_record(actor=actor, action="declarations_import", entity=first,
                     after={"created": len(created), "source": source,
                            "first": created[0].number, "last": created[-1].number})
    return {"created": len(created), "unchanged": len(checked) - len(created)}
