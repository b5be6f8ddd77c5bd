"""Capability search across the network: "which labs can test lead in rice by GB 5009.12,
accredited?" — answered from the (test_item, accredited, lab) index.

The small tables (test items, standards) are matched first, then the capability index is
read for those items only, so the cost follows the answer, not the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from portlab.network.models import Capability, Method, TestItem

MAX_ROWS = 200


@dataclass(frozen=True, slots=True)
class NetworkSearch:
    item: str = ""
    standard: str = ""
    accredited: bool | None = None
    district_id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.item or self.standard)


def _item_ids(text: str) -> list[int]:
    exact = list(TestItem.objects.filter(code__iexact=text).values_list("id", flat=True))
    if exact:
        return exact
    return list(TestItem.objects.filter(Q(name_zh__icontains=text) | Q(name_en__icontains=text)
                                        | Q(code__istartswith=text)).values_list("id", flat=True))


def _method_ids(text: str) -> list[int]:
    """Methods of the standard: "GB 5009.12" finds GB 5009.12-2023 (any year, any clause),
    not GB 5009.120."""
    same = (Q(standard__code__iexact=text) | Q(standard__code__istartswith=f"{text}-")
            | Q(standard__code__istartswith=f"{text} ") | Q(code__istartswith=f"{text} "))
    return list(Method.objects.filter(same).values_list("id", flat=True))


def network_capability_search(query: NetworkSearch) -> QuerySet[Capability]:
    """Capabilities matching an item (code or name) and/or a standard (code prefix), best
    first: accredited, fastest, cheapest. Neither given: nothing (the catalog is too big)."""
    rows = Capability.objects.select_related("lab__district", "test_item", "method__standard")
    if query.empty:
        return rows.none()
    if query.item:
        rows = rows.filter(test_item_id__in=_item_ids(query.item))
    if query.standard:
        rows = rows.filter(method_id__in=_method_ids(query.standard))
    if query.accredited is not None:
        rows = rows.filter(accredited=query.accredited)
    if query.district_id:
        rows = rows.filter(lab__district_id=query.district_id)
    return rows.order_by("-accredited", "turnaround_days", "price", "lab__code", "id")
