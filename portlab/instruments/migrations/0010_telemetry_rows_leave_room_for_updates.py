from django.db import migrations

# Every heartbeat rewrites its instrument's telemetry row. With free room on the row's page,
# PostgreSQL keeps the new version there without touching the indexes (a HOT update); packed
# full (the default), each heartbeat adds an entry to both indexes and the table bloats.
FILLFACTOR = 50


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE instruments_telemetry SET (fillfactor = {FILLFACTOR})")


def pack_full(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE instruments_telemetry RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ("instruments", "0009_telemetry_samples_by_day_and_hourly_rollup"),
    ]

    operations = [migrations.RunPython(leave_room, pack_full)]
