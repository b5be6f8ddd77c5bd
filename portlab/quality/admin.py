"""The quality records in the Django admin, for looking up and filtering only: every write goes
through the quality pages' services, which check the rules, version and audit it."""

from django.contrib import admin
from django.http import HttpRequest

from portlab.quality.models import (
    Authorization,
    Complaint,
    ControlMaterial,
    CorrectiveAction,
    InternalAudit,
    Nonconformity,
    QCRun,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Authorization)
class AuthorizationAdmin(ReadOnlyAdmin):
    list_display = ["user", "lab", "duty", "capability", "method", "valid_from", "valid_to",
                    "granted_by", "revoked_at"]
    list_filter = ["duty", "lab"]
    search_fields = ["user__username", "user__display_name"]


class TrackedAdmin(ReadOnlyAdmin):
    list_display = ["title", "lab", "owner", "due_date", "status", "closed_at"]
    list_filter = ["status", "lab"]
    search_fields = ["title", "description"]
    date_hierarchy = "due_date"


admin.site.register(Nonconformity, TrackedAdmin)
admin.site.register(Complaint, TrackedAdmin)
admin.site.register(InternalAudit, TrackedAdmin)
admin.site.register(CorrectiveAction, TrackedAdmin)


@admin.register(ControlMaterial)
class ControlMaterialAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "lab", "test_item", "level", "target_mean", "target_sd",
                    "active"]
    list_filter = ["lab", "active"]


@admin.register(QCRun)
class QCRunAdmin(ReadOnlyAdmin):
    list_display = ["run_code", "lab", "test_item", "date", "status"]
    list_filter = ["status", "lab"]
    search_fields = ["run_code"]
