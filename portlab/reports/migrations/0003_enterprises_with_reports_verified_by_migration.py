"""Enterprises created before licence checks existed: those that already hold a report (any
report issued to one of their applications) did business with a lab across the counter, where
the licence was seen, so they are marked verified "by migration" (verified_at set, verified_by
empty) with one audit event each on the network chain. The rest stay unverified and wait in
the credit officer's queue. Reversing clears only the marks this migration set.

The audit chain is written through portlab.audit.services, imported inside the function and
only when there is something to record: a fresh database has no reports, so later changes of
the audit code never run here on a new install.
"""

from django.db import migrations
from django.utils import timezone

REASON = "by migration: held reports issued before licence checks existed"


def mark_verified(apps, schema_editor):
    Enterprise = apps.get_model("accounts", "Enterprise")
    Report = apps.get_model("reports", "Report")
    holders = Enterprise.objects.filter(
        verified_at__isnull=True,
        pk__in=Report.objects.values("application__enterprise_id"))
    enterprises = list(holders.order_by("id"))
    if not enterprises:
        return
    from portlab.audit.services import Entry, audit_record_many

    now = timezone.now()
    Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).update(verified_at=now)
    audit_record_many([
        Entry(None, "enterprise_verify", enterprise, after={"credit_code": enterprise.credit_code,
                                                            "by": "migration"}, reason=REASON)
        for enterprise in enterprises])


def unmark(apps, schema_editor):
    Enterprise = apps.get_model("accounts", "Enterprise")
    Enterprise.objects.filter(verified_at__isnull=False, verified_by__isnull=True).update(
        verified_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_bilingual_language_and_long_conclusion"),
        ("accounts", "0009_enterprise_licence_verification"),
        ("audit", "0004_audit_event_chain_required_and_head_row_removed"),
    ]
    operations = [migrations.RunPython(mark_verified, unmark)]
