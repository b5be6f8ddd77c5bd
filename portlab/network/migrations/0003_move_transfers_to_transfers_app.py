"""Transfer and CustodyEvent now belong to the transfers app: forget them here, state only.

The tables stay where they are; transfers.0001 takes them over and transfers.0002 renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0002_recognition_agreements_transfers_custody"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CustodyEvent"),
                migrations.DeleteModel(name="Transfer"),
            ],
            database_operations=[],
        ),
    ]
