"""Optimistic concurrency: every editable row carries a version that each write bumps."""

from typing import Any

from django.db import models, router, transaction
from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError, ConflictError


class VersionRequired(ApplicationError):
    """An update of an existing record was sent without the version it changes."""

    status_code = 422


def _conflict(version: int) -> ConflictError:
    return ConflictError(
        _(
            "This record was changed by someone else (your version %(yours)s). "
            "Reload it and apply your change again."
        )
        % {"yours": version},
        field="version",
    )


def require_version(instance: models.Model, expected_version: int | None, *,
                    required: bool = False) -> None:
    """Refuse a stale version even when the write turns out to change nothing; with
    `required` (an API update of an existing record) refuse a missing one too."""
    if expected_version is None:
        if required:
            raise VersionRequired(
                _("This record exists already (version %s): send the version you are "
                  "changing.") % instance.version, field="version")
        return
    if expected_version != instance.version:
        raise _conflict(expected_version)


def save_versioned(instance: models.Model, expected_version: int | None, fields: list[str]) -> None:
    """Write `fields` only if the row still has `expected_version`; otherwise raise a conflict.

    A caller that does not pass a version (internal transitions holding the row) writes
    against the version it loaded.
    """
    row: Any = instance  # every versioned model has `version`; Model itself does not
    version = row.version if expected_version is None else expected_version
    model = type(instance)
    db = transaction.get_connection(router.db_for_write(model, instance=instance))
    concrete = {field.name: field for field in model._meta.concrete_fields}
    values = [concrete[name].get_db_prep_save(getattr(instance, concrete[name].attname), db)
              for name in fields]
    with db.cursor() as cursor:
        cursor.execute(_versioned_update(db, model, tuple(fields)),
                       [*values, instance.pk, version])
        updated = cursor.rowcount
    if updated == 0:
        raise _conflict(version)
    row.version = version + 1


_updates: dict[tuple[str, str, tuple[str, ...]], str] = {}


def _versioned_update(db, model: type[models.Model], fields: tuple[str, ...]) -> str:
    """UPDATE ... SET version = version + 1, <fields> WHERE pk = %s AND version = %s, built
    once per model, fields and database: every transition of a test, sample or application
    runs it, and the ORM would rebuild and recompile the same statement each time."""
    key = (db.vendor, model._meta.label, fields)
    if key not in _updates:
        quote, meta = db.ops.quote_name, model._meta
        columns = {field.name: field.column for field in meta.concrete_fields}
        version = quote(columns["version"])
        assignments = [f"{version} = {version} + 1"] + [
            f"{quote(columns[name])} = %s" for name in fields]
        _updates[key] = (f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
                         f"WHERE {quote(meta.pk.column)} = %s AND {version} = %s")
    return _updates[key]
