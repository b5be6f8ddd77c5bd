from django.contrib import admin

from portlab.workdays.models import CalendarDay, OfficialYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(OfficialYear)
class OfficialYearAdmin(admin.ModelAdmin):
    """Read here; enter a notice with `portlab calendar-notice` so it is checked and audited."""

    list_display = ["year", "notice", "source", "entered_at", "entered_by"]
    inlines = [CalendarDayInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
