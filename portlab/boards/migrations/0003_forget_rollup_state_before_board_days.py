"""The roll-up state written before BoardDay existed points at turnaround rows that are gone:
forget it, so the board reads the live tables until the next refresh recounts every day."""

from django.db import migrations


def forget(apps, schema_editor) -> None:
    apps.get_model("boards", "RollupState").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("boards", "0002_board_days")]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
