"""On PostgreSQL, the database itself refuses overlapping active bookings of one instrument.

`BtreeGistExtension` does nothing on other databases; the constraint is added only on
PostgreSQL (SQLite relies on the check in `booking_request` under an IMMEDIATE transaction),
so it is kept out of the model state and `makemigrations` never tries to add it elsewhere.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "booking_no_overlap"


def _constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
    from django.db.models import F, Func, Q

    class TsTzRange(Func):
        function = "TSTZRANGE"
        output_field = DateTimeRangeField()

    return ExclusionConstraint(
        name=CONSTRAINT,
        expressions=[(F("instrument"), RangeOperators.EQUAL),
                     (TsTzRange(F("start"), F("end")), RangeOperators.OVERLAPS)],
        condition=Q(status__in=["requested", "approved"]),
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("instruments", "Booking"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("instruments", "Booking"), _constraint())


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_instrument_registry_telemetry_bookings")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
