"""Reads behind the guided application form: the catalog offered at a lab, and the quote."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count

from portlab.network.models import Capability, Lab, TestItem
from portlab.network.selectors import capabilities_for_items, capability_search
from portlab.testing.models import OPEN_TEST_STATUSES, Test
from portlab.transfers import prediction


@dataclass
class QuoteLine:
    test_item: TestItem
    capability: Capability
    backlog: int
    queue_days: int | None  # working days before it starts; None: no capacity


@dataclass
class Quote:
    lines: list[QuoteLine]
    sample_count: int
    total_price: Decimal
    working_days: int
    completion_date: date | None  # None: some item cannot be predicted (see `blocked`)
    completion_provisional: bool
    completion_low: date | None = None
    completion_high: date | None = None
    blocked: list[str] = field(default_factory=list)


def capability_offers(lab: Lab, text: str, requires_accreditation: bool,
                      limit: int = 30) -> list[Capability]:
    """The capability the lab would use for each test item matching `text` (zh, en or code)."""
    item_ids = list(dict.fromkeys(
        capability_search(text=text.strip(), lab_id=lab.id).values_list("test_item_id",
                                                                         flat=True)))
    chosen = capabilities_for_items(lab, item_ids[:limit], requires_accreditation)
    rows = Capability.objects.select_related("test_item", "method__standard").filter(
        pk__in=[c.pk for c in chosen.values()])
    return sorted(rows, key=lambda c: c.test_item.code)


def open_tests_by_capability(capability_ids: list[int]) -> dict[int, int]:
    rows = (Test.objects.filter(capability_id__in=capability_ids, status__in=OPEN_TEST_STATUSES)
            .values("capability_id").annotate(open=Count("id")))
    return {row["capability_id"]: row["open"] for row in rows}


def application_quote(*, lab: Lab, test_item_ids: list[int], sample_count: int,
                      requires_accreditation: bool, today: date) -> Quote:
    """Price and predicted completion for the items the lab holds; unknown items are skipped.
    The date is the application page's (`transfers.prediction`), computed the same way."""
    chosen = capabilities_for_items(lab, test_item_ids, requires_accreditation)
    capabilities = {c.pk: c for c in Capability.objects.select_related("test_item").filter(
        pk__in=[c.pk for c in chosen.values()])}
    picked = [capabilities[chosen[i].pk] for i in test_item_ids if i in chosen]
    backlog = open_tests_by_capability(list(capabilities))
    price = sum((c.price for c in picked), Decimal("0")) * sample_count
    if not picked or sample_count <= 0:
        lines = [QuoteLine(c.test_item, c, backlog.get(c.pk, 0), 0) for c in picked]
        return Quote(lines, sample_count, price, 0, today, False)
    found = prediction.requested_completion(lab, picked, sample_count, today)
    lines = [QuoteLine(c.test_item, c, backlog.get(c.pk, 0),
                       None if f.day is None else max(f.day - c.turnaround_days, 0))
             for c, f in zip(picked, found.tests, strict=True)]
    return Quote(lines=lines, sample_count=sample_count, total_price=price,
                 working_days=found.working_days, completion_date=found.date,
                 completion_provisional=found.provisional, completion_low=found.low,
                 completion_high=found.high,
                 blocked=[c.test_item.name for c, f in zip(picked, found.tests, strict=True)
                          if f.day is None])
