"""Declarations registered before conversion existed: those in yuan keep their value (rate 1);
those in another currency stay unconverted (value_cny empty), since no rate of their date was
recorded: they are shown as "not converted" and left out of training until rescored."""

from django.db import migrations
from django.db.models import F


def yuan_as_is(apps, schema_editor):
    Declaration = apps.get_model("risk", "Declaration")
    Declaration.objects.filter(currency="CNY", value_cny__isnull=True).update(
        value_cny=F("value"), exchange_rate=1)


def forget(apps, schema_editor):
    Declaration = apps.get_model("risk", "Declaration")
    Declaration.objects.filter(currency="CNY").update(value_cny=None, exchange_rate=None)


class Migration(migrations.Migration):
    dependencies = [("risk", "0005_exchange_rates_and_values_in_yuan")]
    operations = [migrations.RunPython(yuan_as_is, forget)]
