"""Transfer and CustodyEvent move here from network, state only: their tables and rows stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUSES = [("dispatched", "Dispatched"), ("in_transit", "In transit"),
            ("received", "Received"), ("rejected", "Rejected")]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("network", "0003_move_transfers_to_transfers_app"),
        ("testing", "0002_add_quality_board_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Transfer",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("sample_portion", models.CharField(max_length=200)),
                        ("status", models.CharField(choices=STATUSES, default="dispatched",
                                                    max_length=10)),
                        ("dispatched_at", models.DateTimeField()),
                        ("rejection_reason", models.TextField(blank=True)),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("agreement", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="transfers", to="network.recognitionagreement")),
                        ("from_lab", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="transfers_out", to="network.lab")),
                        ("test", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="transfers", to="testing.test")),
                        ("to_lab", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="transfers_in", to="network.lab")),
                    ],
                    options={
                        "db_table": "network_transfer",
                        "indexes": [
                            models.Index(fields=["to_lab", "status"],
                                         name="network_tra_to_lab__2d761a_idx"),
                            models.Index(fields=["from_lab", "status"],
                                         name="network_tra_from_la_f8b76e_idx"),
                            models.Index(fields=["dispatched_at"],
                                         name="network_tra_dispatc_72d284_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status__in", ["dispatched", "in_transit"])),
                                fields=("test",), name="one_open_transfer_per_test"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CustodyEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("status", models.CharField(choices=STATUSES, max_length=10)),
                        ("at", models.DateTimeField()),
                        ("place", models.CharField(max_length=200)),
                        ("note", models.TextField(blank=True)),
                        ("actor", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT, related_name="+",
                            to=settings.AUTH_USER_MODEL)),
                        ("transfer", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="custody",
                            to="transfers.transfer")),
                    ],
                    options={"db_table": "network_custodyevent"},
                ),
            ],
            database_operations=[],
        ),
    ]
