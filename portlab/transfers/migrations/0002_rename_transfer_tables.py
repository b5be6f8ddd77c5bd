"""The taken-over tables get this app's names (network_transfer → transfers_transfer, ...).

A rename keeps every row, key and index; reversing it gives the old names back.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("transfers", "0001_take_over_transfer_tables"),
    ]

    operations = [
        migrations.AlterModelTable(name="transfer", table=None),
        migrations.AlterModelTable(name="custodyevent", table=None),
    ]
