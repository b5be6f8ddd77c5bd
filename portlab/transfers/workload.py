"""Reads over the network's work: backlog per lab, and work done across districts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F
from django.db.models.functions import TruncMonth, TruncQuarter

from portlab.network.models import Lab
from portlab.transfers.models import Transfer
from portlab.transfers.routing_service import OPEN_TEST_STATUSES, lab_daily_capacity


@dataclass(slots=True)
class LabWorkload:
    lab: Lab
    daily_capacity: int
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def status_counts(self) -> list[int]:
        """Open tests per status, in OPEN_TEST_STATUSES order (for tables)."""
        return [self.by_status.get(status, 0) for status in OPEN_TEST_STATUSES]

    @property
    def open_tests(self) -> int:
        return sum(self.by_status.values())

    @property
    def backlog_days(self) -> float | None:
        """Days the lab needs to clear its open tests (None: no capacity recorded)."""
        return self.open_tests / self.daily_capacity if self.daily_capacity else None


def lab_workload(*, district_id: int | None = None, lab_ids: set[int] | None = None,
                 ) -> list[LabWorkload]:
    """Open tests by status per lab, with the lab's daily capacity: busiest first."""
    from portlab.testing.models import Test

    labs = Lab.objects.select_related("district").order_by("code")
    if district_id:
        labs = labs.filter(district_id=district_id)
    if lab_ids is not None:
        labs = labs.filter(id__in=lab_ids)
    rows = {lab.id: LabWorkload(lab, 0) for lab in labs}
    for lab_id, capacity in lab_daily_capacity(rows).items():
        rows[lab_id].daily_capacity = capacity
    counts = (Test.objects.filter(lab_id__in=rows, status__in=OPEN_TEST_STATUSES)
              .values_list("lab_id", "status").annotate(n=Count("id")))
    for lab_id, status, count in counts:
        rows[lab_id].by_status[status] = count
    return sorted(rows.values(),
                  key=lambda row: (-(row.backlog_days or 0), -row.open_tests, row.lab.code))


@dataclass(frozen=True, slots=True)
class CrossDistrictWork:
    """Work one district sent to another in a period: batches (applications) and test items."""

    period: date
    period_label: str  # 2026-03, or 2026 Q1
    from_district: str
    to_district: str
    batches: int
    test_items: int


PERIODS = {"month": TruncMonth, "quarter": TruncQuarter}


def _cross_district(start: date | None, end: date | None):
    rows = (Transfer.objects.exclude(status=Transfer.Status.REJECTED)
            .exclude(from_lab__district_id=F("to_lab__district_id")))
    if start:
        rows = rows.filter(dispatched_at__date__gte=start)
    if end:
        rows = rows.filter(dispatched_at__date__lte=end)
    return rows


def cross_district_totals(*, start: date | None = None, end: date | None = None,
                          ) -> tuple[int, int]:
    """(batches, test items) sent across districts in the range: the figure a district
    reports (an application split over two districts is one batch)."""
    totals = _cross_district(start, end).aggregate(
        batches=Count("test__sample__application", distinct=True), items=Count("id"))
    return totals["batches"], totals["items"]


def cross_district_work(*, period: str = "month", start: date | None = None,
                        end: date | None = None) -> list[CrossDistrictWork]:
    """Transfers between labs of different districts (rejected ones did no work), grouped by
    district pair and month or quarter of dispatch; a batch is one application's transfers."""
    if period not in PERIODS:
        period = "month"
    rows = _cross_district(start, end)
    grouped = (rows.annotate(period=PERIODS[period]("dispatched_at"))
               .values("period", "from_lab__district__name_zh", "from_lab__district__name_en",
                       "to_lab__district__name_zh", "to_lab__district__name_en")
               .annotate(batches=Count("test__sample__application", distinct=True),
                         items=Count("id"))
               .order_by("-period", "from_lab__district__name_zh", "to_lab__district__name_zh"))
    return [CrossDistrictWork(_as_date(row["period"]), _label(_as_date(row["period"]), period),
                              _name(row, "from_lab__district__"), _name(row, "to_lab__district__"),
                              row["batches"], row["items"]) for row in grouped]


def _label(day: date, period: str) -> str:
    if period == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


def _name(row: dict, prefix: str) -> str:
    from django.utils.translation import get_language

    english = (get_language() or "zh-hans").startswith("en")
    return (row[f"{prefix}name_en"] if english else "") or row[f"{prefix}name_zh"]

