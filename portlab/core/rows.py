"""One-row statements in SQL built once per model and database, for the rows every result
entry and review writes or checks: the ORM rebuilds and recompiles the same statement on each
call, which costs several times what the database spends on the row."""

from typing import Any

from django.db import models, router, transaction

_statements: dict[tuple[str, str], tuple[str, list[models.Field]]] = {}
_lookups: dict[tuple[str, str, str, str], str] = {}


def insert_row(instance: models.Model) -> None:
    """Store a new instance as save(force_insert=True) does (field defaults and pre_save
    hooks such as auto_now_add included), and set its primary key."""
    model = type(instance)
    db = transaction.get_connection(router.db_for_write(model, instance=instance))
    sql, fields = _insert_statement(db, model)
    values = [field.get_db_prep_save(field.pre_save(instance, True), db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, db.alias


def _insert_statement(db, model: type[models.Model]) -> tuple[str, list[models.Field]]:
    key = (db.vendor, model._meta.label)
    if key not in _statements:
        meta, quote = model._meta, db.ops.quote_name
        fields = [field for field in meta.local_concrete_fields
                  if field is not meta.auto_field and not getattr(field, "generated", False)]
        columns = ", ".join(quote(field.column) for field in fields)
        _statements[key] = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}",
            fields)
    return _statements[key]


def value_where(model: type[models.Model], column: str, key: str, value: Any) -> Any:
    """The `column` field of the first row whose `key` field equals `value` (a unique key:
    which row is first is not defined otherwise), None without one."""
    db = transaction.get_connection(router.db_for_read(model))
    meta, quote = model._meta, db.ops.quote_name
    lookup = (db.vendor, meta.label, column, key)
    if lookup not in _lookups:
        columns = {field.name: field.column for field in meta.concrete_fields}
        _lookups[lookup] = (f"SELECT {quote(columns[column])} FROM {quote(meta.db_table)} "
                            f"WHERE {quote(columns[key])} = %s LIMIT 1")
    with db.cursor() as cursor:
        cursor.execute(_lookups[lookup], [value])
        row = cursor.fetchone()
    return None if row is None else row[0]
