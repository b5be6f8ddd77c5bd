from django.contrib import admin

from portlab.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["id", "chain", "sequence", "at", "actor_name", "action", "entity_type",
                    "entity_id", "reason"]
    list_filter = ["chain", "action", "entity_type"]
    list_select_related = ["chain"]
    search_fields = ["entity_id", "actor_name", "reason"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
