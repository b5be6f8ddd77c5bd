"""Keys dropped for a bulk load come back exactly as they were, and are checked when they do."""

import pytest
from django.db import IntegrityError, connection, transaction

from portlab.demo.bulk_load import insert_generated, keys_build, keys_drop
from portlab.intake.models import Application, Sample
from portlab.testing.models import Test

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="keys are dropped on PostgreSQL only")


def _catalog() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
            "conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]) UNION "
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1", [TABLES] * 3)
        return cursor.fetchall()


TABLES = [Test._meta.db_table, Sample._meta.db_table, Application._meta.db_table]


def test_keys_come_back_as_they_were(db) -> None:
    before = _catalog()
    assert len(before) > 40  # keys, indexes and the foreign keys of and into the three
    with transaction.atomic():
        dropped = keys_drop(Test, Sample, Application)
        # what stays: the checks of each row (a positive version, ...)
        assert {definition.split()[0] for _name, definition in _catalog()} == {"CHECK"}
        keys_build(dropped)
    assert _catalog() == before


def test_a_row_breaking_a_foreign_key_fails_the_build(db) -> None:
    before = _catalog()
    with (pytest.raises(IntegrityError, match="intake_sample_application_id"),
          transaction.atomic()):
        dropped = keys_drop(Sample)
        insert_generated(Sample, {"number": "'S1'", "application_id": "999999",
                                  "description": "'x'"}, "")
        keys_build(dropped)
    assert _catalog() == before
    assert not Sample.objects.exists()
