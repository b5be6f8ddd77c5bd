from django.contrib import admin

from portlab.network.models import (
    Alliance,
    Capability,
    District,
    Lab,
    Method,
    ProductCategory,
    Specification,
    Standard,
    TestItem,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "city"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "kind", "cnas_number", "district", "city",
                    "workday_start", "workday_end"]
    list_filter = ["kind", "district"]
    search_fields = ["code", "name_zh", "name_en", "cnas_number"]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "lead_lab"]
    filter_horizontal = ["members"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "status", "replaced_by"]
    list_filter = ["status"]
    search_fields = ["code", "name_zh"]


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["code", "standard", "clause", "technique"]
    search_fields = ["code", "standard__code", "technique"]


@admin.register(TestItem)
class TestItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "unit", "result_kind"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ["lab", "test_item", "method", "accredited", "lod", "loq", "unit", "price",
                    "turnaround_days", "daily_capacity"]
    list_filter = ["accredited", "lab__district"]
    search_fields = ["lab__code", "test_item__code", "test_item__name_zh", "method__code"]
    list_select_related = ["lab", "test_item", "method"]
    raw_id_fields = ["lab", "test_item", "method"]


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]


@admin.register(Specification)
class SpecificationAdmin(admin.ModelAdmin):
    list_display = ["product_category", "test_item", "limit_low", "limit_high", "unit",
                    "source_standard", "decision_rule"]
    list_filter = ["product_category", "decision_rule"]
