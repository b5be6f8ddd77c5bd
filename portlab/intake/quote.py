"""Reads behind the guided application form: the catalog offered at a lab, and the quote."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count

from portlab.intake import prediction
from portlab.network.models import Capability, Lab, TestItem
from portlab.network.selectors import capabilities_for_items, capability_search
from portlab.testing.models import Test
from portlab.workdays.selectors import work_calendar

OPEN_TEST_STATUSES = (Test.Status.PENDING, Test.Status.ASSIGNED, Test.Status.RESULTED,
                      Test.Status.REVIEWED)


@dataclass
class QuoteLine:
    test_item: TestItem
    capability: Capability
    backlog: int
    queue_days: int

    @property
    def load(self) -> prediction.ItemLoad:
        return prediction.ItemLoad(price=self.capability.price,
                                   turnaround_days=self.capability.turnaround_days,
                                   backlog=self.backlog,
                                   daily_capacity=self.capability.daily_capacity)


@dataclass
class Quote:
    lines: list[QuoteLine]
    sample_count: int
    total_price: Decimal
    working_days: int
    completion_date: date
    completion_provisional: bool


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
    """Price and predicted completion for the items the lab holds; unknown items are skipped."""
    chosen = capabilities_for_items(lab, test_item_ids, requires_accreditation)
    capabilities = {c.pk: c for c in Capability.objects.select_related("test_item").filter(
        pk__in=[c.pk for c in chosen.values()])}
    backlog = open_tests_by_capability(list(capabilities))
    lines = []
    for item_id in test_item_ids:
        if item_id not in chosen:
            continue
        capability = capabilities[chosen[item_id].pk]
        waiting = backlog.get(capability.pk, 0)
        lines.append(QuoteLine(
            test_item=capability.test_item, capability=capability, backlog=waiting,
            queue_days=prediction.queue_delay_days(waiting, capability.daily_capacity)))
    loads = [line.load for line in lines]
    completion = prediction.predicted_completion(today, loads, work_calendar())
    return Quote(lines=lines, sample_count=sample_count,
                 total_price=prediction.total_price(loads, sample_count),
                 working_days=prediction.working_days_needed(loads),
                 completion_date=completion.date,
                 completion_provisional=completion.provisional)
