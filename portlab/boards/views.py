"""The quality board's pages: the board and its drill-down to the open tests. Thin."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portlab.boards import quality_board, quality_charts
from portlab.core.replica import reads_from_replica
from portlab.network.models import District
from portlab.quality import selectors
from portlab.testing.models import OPEN_TEST_STATUSES, Test

LAB_ROWS_SHOWN = 50


@login_required
@reads_from_replica
def board_page(request: HttpRequest) -> HttpResponse:
    scope = quality_board.board_scope(request.user, request.GET.get("lab", ""),
                              request.GET.get("district", ""))
    data = quality_board.board_data(scope)
    visible = selectors.visible_labs(request.user).order_by("code")
    lab_rows = quality_charts.lab_rows(scope, data["work"], data["turnaround"])
    return render(request, "boards/quality_board.html", {
        **data, "lab_options": quality_charts.lab_options(visible, scope.lab_code),
        "districts": District.objects.filter(labs__in=visible).distinct().order_by("code"),
        "turnaround_chart": quality_charts.turnaround_chart(scope, data["turnaround"]["bins"]),
        "workload_chart": quality_charts.workload_chart(scope, data["work"]["by_status"],
                                                      data["work"]["overdue"]),
        # the most overdue first: a national network's 1,370 rows would be most of the page
        "lab_rows": lab_rows[:LAB_ROWS_SHOWN], "labs_total": len(lab_rows),
    })


@login_required
@reads_from_replica
def board_tests(request: HttpRequest) -> HttpResponse:
    """Drill-down from the board: the open tests behind a bar, oldest due date first."""
    scope = quality_board.board_scope(request.user, request.GET.get("lab", ""),
                              request.GET.get("district", ""))
    status = request.GET.get("status", "")
    rows = Test.objects.filter(scope.lab_filter(), status__in=OPEN_TEST_STATUSES)
    if status in OPEN_TEST_STATUSES:
        rows = rows.filter(status=status)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        rows = rows.filter(due_date__lt=timezone.localdate())
    rows = rows.select_related("sample__application", "test_item", "lab", "analyst")
    return render(request, "boards/quality_board_tests.html", {
        "scope": scope, "tests": rows.order_by("due_date", "id")[:300], "count": rows.count(),
        "status": status, "overdue": overdue, "today": timezone.localdate(),
        "statuses": [(s, Test.Status(s).label) for s in OPEN_TEST_STATUSES]})
