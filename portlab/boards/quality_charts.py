"""The board's charts: translated labels and drill-down links around the pure SVG charts
(portlab.core.charts)."""

from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portlab.boards.quality_board import Scope
from portlab.boards.rollup import TURNAROUND_BINS
from portlab.core import charts
from portlab.testing.models import OPEN_TEST_STATUSES, Test

STATUS_COLOURS = {Test.Status.PENDING: "#8aa4c0", Test.Status.ASSIGNED: charts.BRAND,
                  Test.Status.RESULTED: "#d08a1e", Test.Status.REVIEWED: "#6f5bb5"}


def _tests_url(scope: Scope, **filters: str) -> str:
    query = "&".join(part for part in [scope.query(), *(f"{k}={v}" for k, v in filters.items())]
                     if part)
    return f"{reverse('quality_board_tests')}?{query}"


def turnaround_chart(scope: Scope, bins: list[int], due_days: int | None = None) -> str:
    bars = []
    for days, count in enumerate(bins):
        label = f"{days}+" if days == TURNAROUND_BINS else str(days)
        colour = charts.BAD if days >= 10 else (charts.WARN if days >= 6 else charts.BRAND)
        bars.append(charts.Bar(label, count, colour=colour,
                            note=_("%(count)d tests took %(days)s working days") %
                            {"count": count, "days": label}))
    return mark_safe(charts.column_chart(bars, _("Turnaround (working days)"),
                                      x_label=_("working days from reception to approval")))


def workload_chart(scope: Scope, by_status: dict[str, int], overdue: int) -> str:
    labels = dict(Test.Status.choices)
    bars = [charts.Bar(str(labels[status]), by_status[status], colour=STATUS_COLOURS[status],
                    href=_tests_url(scope, status=status)) for status in OPEN_TEST_STATUSES]
    bars.append(charts.Bar(_("Overdue"), overdue, colour=charts.BAD,
                        href=_tests_url(scope, overdue="1")))
    return mark_safe(charts.row_chart(bars, _("Open work by status")))


def lab_rows(scope: Scope, work: dict, turnaround: dict) -> list[dict]:
    rows = []
    tests_url, board_url = reverse("quality_board_tests"), reverse("quality_board")
    for lab_id, lab in scope.labs.items():
        counts = work["by_lab"].get(lab_id, {})
        completed, on_time = turnaround["by_lab"].get(lab_id, (0, 0))
        rows.append({"lab": lab, "open": counts.get("open", 0),
                     "overdue": counts.get("overdue", 0), "completed": completed,
                     "on_time_rate": on_time / completed if completed else None,
                     "overdue_url": f"{tests_url}?lab={lab.code}&overdue=1",
                     "board_url": f"{board_url}?lab={lab.code}"})
    return sorted(rows, key=lambda row: (-row["overdue"], row["lab"].code))


def lab_options(labs, chosen: str) -> SafeString:
    """The lab picker's options, built here rather than in the template: a national network
    has 1,370 of them, and the template loop took a quarter of the page's time."""
    return format_html_join("", '<option value="{}"{}>{} {}</option>', (
        (lab.code, " selected" if lab.code == chosen else "", lab.code, lab.name)
        for lab in labs))
