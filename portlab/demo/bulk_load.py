"""Bulk loading with PostgreSQL's COPY: rows are streamed to the server with every column a
model has (those the caller leaves out take the model's default), and ids are taken from the
table's own sequence in one block, so rows of several tables can point at each other before
they are written."""

from collections.abc import Iterable

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


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY `rows` (values for `columns`, attribute names such as lab_id) into the model's
    table; every other column but an automatic id gets the model's default. Returns the count."""
    fixed_fields = [field for field in model._meta.concrete_fields
                    if field.attname not in columns
                    and not (field.primary_key and isinstance(field, models.AutoField))]
    fixed = tuple(field.get_db_prep_save(field.get_default(), connection)
                  for field in fixed_fields)
    names = [model._meta.get_field(name).column if name != "id" else "id" for name in columns]
    quote = connection.ops.quote_name
    target = ", ".join(quote(name) for name in [*names, *(f.column for f in fixed_fields)])
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
        with raw.copy(f"COPY {quote(model._meta.db_table)} ({target}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *fixed))
                count += 1
    return count
