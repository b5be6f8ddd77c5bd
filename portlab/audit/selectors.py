from django.db.models import QuerySet

from portlab.audit.models import AuditEvent


def audit_events_for(entity_type: str, entity_ids: list) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        entity_type=entity_type, entity_id__in=[str(i) for i in entity_ids]
    ).order_by("id")
