"""Reads over the network and its catalog."""

from django.db.models import Q, QuerySet

from portlab.network.catalog_rows import CatalogRow
from portlab.network.models import Capability, Lab, Specification


def capabilities_for_items(
    lab: Lab, test_item_ids: list[int], requires_accreditation: bool
) -> dict[int, Capability]:
    """The capability the lab uses for each item: accredited first, then the cheapest."""
    rows = Capability.objects.filter(lab=lab, test_item_id__in=test_item_ids)
    if requires_accreditation:
        rows = rows.filter(accredited=True)
    chosen: dict[int, Capability] = {}
    for capability in rows.order_by("test_item_id", "-accredited", "price", "id"):
        chosen.setdefault(capability.test_item_id, capability)
    return chosen


def capability_search(
    *, text: str = "", lab_id: int | None = None, accredited: bool | None = None
) -> QuerySet[Capability]:
    rows = Capability.objects.select_related("lab", "test_item", "method__standard")
    if text:
        rows = rows.filter(
            Q(test_item__name_zh__icontains=text) | Q(test_item__name_en__icontains=text)
            | Q(test_item__code__iexact=text) | Q(method__standard__code__icontains=text)
            | Q(lab__name_zh__icontains=text)
        )
    if lab_id:
        rows = rows.filter(lab_id=lab_id)
    if accredited is not None:
        rows = rows.filter(accredited=accredited)
    return rows.order_by("lab__code", "test_item__code")


def specification_for(product_category_id: int | None, test_item_id: int) -> Specification | None:
    if product_category_id is None:
        return None
    return Specification.objects.filter(
        product_category_id=product_category_id, test_item_id=test_item_id
    ).first()


def catalog_rows_for(lab_ids: list[int] | None) -> list[CatalogRow]:
    """The catalog as import-ready rows (an export re-imports as a no-op)."""
    rows = Capability.objects.select_related("lab", "test_item", "method__standard")
    if lab_ids is not None:
        rows = rows.filter(lab_id__in=lab_ids)
    return [
        CatalogRow(
            line=0, lab_code=c.lab.code, test_item_code=c.test_item.code,
            test_item_name_zh=c.test_item.name_zh, test_item_name_en=c.test_item.name_en,
            standard_code=c.method.standard.code, method_code=c.method.code,
            clause=c.method.clause, technique=c.method.technique, accredited=c.accredited,
            lod=c.lod, loq=c.loq, unit=c.unit, price=c.price,
            turnaround_days=c.turnaround_days, daily_capacity=c.daily_capacity,
        )
        for c in rows.order_by("lab__code", "test_item__code", "method__code")
    ]
