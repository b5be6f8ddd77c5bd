"""Content types of the moved models follow them, so permissions and admin history stay attached.

Renames network.transfer / network.custodyevent to transfers.*; skipped where the new one
already exists (a database created after the move).
"""

from django.db import migrations

MODELS = ("transfer", "custodyevent")


def relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    relabel(apps, "network", "transfers")


def backwards(apps, schema_editor) -> None:
    relabel(apps, "transfers", "network")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("transfers", "0002_rename_transfer_tables"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
