from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portlab.accounts.models import Enterprise, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    raw_id_fields = ["lab", "district", "enterprise"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    fieldsets = [*DjangoUserAdmin.fieldsets, ("PortLab", {"fields": ["display_name"]})]
    inlines = [RoleInline]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Set-up only: the credit code is validated when enterprises register through PortLab."""

    list_display = ["credit_code", "name_zh", "customs_code", "credit_grade", "contact_email"]
    list_filter = ["credit_grade"]
    search_fields = ["credit_code", "name_zh", "name_en", "customs_code"]
    readonly_fields = ["credit_code"]

    def has_add_permission(self, request) -> bool:
        return False  # new enterprises go through enterprise_create (credit code check, audit)
