"""Bulk loading inside PostgreSQL: rows made by one `INSERT ... SELECT` over
`generate_series` (the server computes them; no row passes through Python), ids taken from a
table's own sequence in one block so that rows of several tables can point at each other, and a
table's keys, indexes and foreign keys dropped for a load and built again after it (one sort per
index and one join per foreign key instead of one lookup per row).

The tables stay logged (crash safe): the load is ordinary transactional work, only faster."""

from dataclasses import dataclass

from django.db import connection, models


def ids_reserve(model: type[models.Model], count: int) -> int:
    """The first of `count` consecutive ids taken from the table's id sequence."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


def insert_sql(model: type[models.Model], columns: dict[str, str]) -> tuple[str, list]:
    """`INSERT INTO table (...) SELECT ...` without its FROM: `columns` maps attribute names
    (lab_id) to SQL expressions; every other column but an automatic id gets the model's
    default, as a parameter (a default computed per row, such as a random code, must be given
    in `columns`). Returns the SQL and the parameters of the defaults."""
    fixed = [field for field in model._meta.concrete_fields
             if field.attname not in columns
             and not (field.primary_key and isinstance(field, models.AutoField))]
    quote = connection.ops.quote_name
    column = {field.attname: field.column for field in model._meta.concrete_fields}
    names = [quote(column[name]) for name in columns] + [quote(field.column) for field in fixed]
    values = [*columns.values(), *("%s" for _ in fixed)]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) "
           f"SELECT {', '.join(values)}")
    return sql, [field.get_db_prep_save(field.get_default(), connection) for field in fixed]


def insert_generated(model: type[models.Model], columns: dict[str, str], source: str,
                     params: list | None = None) -> int:
    """Insert the rows `SELECT <columns> <source>` makes (`source` is the FROM clause and the
    rest; its parameters are `params`). Returns the count."""
    sql, defaults = insert_sql(model, columns)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {source}", [*defaults, *(params or [])])
        return cursor.rowcount


def _keys(tables: list[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The constraints (keys, unique constraints, foreign keys into or out of `tables`) as
    (table, name, definition), and the other indexes as (name, definition)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE (conrelid = ANY(%s::regclass[]) AND contype IN ('p', 'u')) "
            "OR (contype = 'f' AND (conrelid = ANY(%s::regclass[]) "
            "OR confrelid = ANY(%s::regclass[]))) ORDER BY 1, 2",
            [tables, tables, tables])
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint "
            "WHERE conindid = i.indexrelid AND contype IN ('p', 'u', 'x')) ORDER BY 1",
            [tables])
        return constraints, cursor.fetchall()


def _foreign(row: tuple[str, str, str]) -> bool:
    return row[2].startswith("FOREIGN KEY")


@dataclass
class DroppedKeys:
    constraints: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]


def keys_drop(*load: type[models.Model]) -> DroppedKeys:
    """Drop the keys, indexes and foreign keys of the `load` tables (and the foreign keys that
    point at them) before a bulk load; keys_build makes them again. Use both in one transaction:
    a failure between them leaves the tables as they were."""
    constraints, indexes = _keys([model._meta.db_table for model in load])
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check left pending
        for table, name, _definition in sorted(constraints, key=_foreign, reverse=True):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return DroppedKeys(constraints, indexes)


def keys_build(dropped: DroppedKeys, *, index_memory: str = "2GB") -> None:
    """Build what keys_drop dropped: keys, then indexes, then foreign keys, each checked over
    every row (PostgreSQL validates a foreign key when it is added)."""
    quote = connection.ops.quote_name
    keys = [row for row in dropped.constraints if not _foreign(row)]
    foreign_keys = [row for row in dropped.constraints if _foreign(row)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true), "
                       "set_config('max_parallel_maintenance_workers', '2', true)",
                       [index_memory])
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        for _name, definition in dropped.indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
