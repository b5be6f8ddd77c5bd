"""Tokens created before tokens expired get the default lifetime (90 days) from their creation."""

from datetime import timedelta

from django.db import migrations
from django.db.models import F


def expire_existing(apps, schema_editor):
    ApiToken = apps.get_model('accounts', 'ApiToken')
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F('created_at') + timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_api_token_expiry_and_revocation'),
    ]

    operations = [
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
    ]
