"""Reads of tests: work lists per role, limited to the user's labs."""

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery

from portlab.accounts.access import labs_where, visible_lab_filter
from portlab.core.errors import NotFound
from portlab.network.models import Capability, Lab, TestItem
from portlab.testing.models import Review, Test
from portlab.testing.worklists import PAGE_SIZE, Queue, WorklistFilter, order_by


def tests_visible_to(user) -> QuerySet[Test]:
    return (Test.objects.select_related("sample__application", "test_item", "capability__method",
                                        "lab", "analyst", "result")
            .filter(visible_lab_filter(user, "")))


def test_get(user, test_id: int) -> Test:
    test = tests_visible_to(user).filter(pk=test_id).first()
    if test is None:
        raise NotFound(f"Test {test_id} not found.")
    return test


def worklist(user, status: str, *, mine: bool = False, action: str = "test.view"
             ) -> QuerySet[Test]:
    """Tests in `status` of the labs where the user may do `action` (a queue's own action:
    a reviewer of one lab who is an analyst in another sees only the first lab's reviews)."""
    rows = tests_visible_to(user).filter(visible_lab_filter(user, "", action), status=status)
    if mine:
        rows = rows.filter(analyst=user)
    return rows.order_by("due_date", "id")


def _with_last_review(rows: QuerySet[Test]) -> QuerySet[Test]:
    """Each test with its latest review decision, comment and reviewer: a test sent back shows
    why and by whom in the analyst's list."""
    latest = Review.objects.filter(test=OuterRef("pk")).order_by("-at", "-id")
    return rows.annotate(
        last_decision=Subquery(latest.values("decision")[:1]),
        last_comment=Subquery(latest.values("comment")[:1]),
        last_reviewer=Subquery(latest.values("reviewer__username")[:1]))


# What a worklist row shows (testing/worklist_rows.py) and no more: a page reads 50 rows over
# seven tables, and building the unused columns into objects cost more than the query.
WORKLIST_RELATED = ("sample__application", "test_item", "capability__method", "lab",
                    "result__raw_file")
WORKLIST_FIELDS = (
    "version", "status", "due_date", "analyst", "sample__number",
    "sample__application__number", "test_item__name_zh", "test_item__name_en",
    "test_item__result_kind", "capability__unit", "capability__lod",
    "capability__requires_instrument", "capability__method__code", "lab__name_zh",
    "lab__name_en", "result__version", "result__kind", "result__value", "result__unit",
    "result__entered_value", "result__entered_unit", "result__text", "result__conformity",
    "result__raw_file__sha256")


def worklist_page(user, queue: Queue, chosen: WorklistFilter, today: dt.date) -> Page:
    """One page of a worklist: the queue's tests in the labs where the user may do its action,
    narrowed by the filter, in the order asked for (PAGE_SIZE a page)."""
    rows = (Test.objects.filter(visible_lab_filter(user, ""),
                                visible_lab_filter(user, "", queue.action), status=chosen.status)
            .select_related(*WORKLIST_RELATED).only(*WORKLIST_FIELDS))
    if queue.mine:
        rows = rows.filter(analyst=user)
    if chosen.lab:
        rows = rows.filter(lab_id=chosen.lab)
    if chosen.test_item:
        rows = rows.filter(test_item_id=chosen.test_item)
    if chosen.due_by:
        rows = rows.filter(due_date__lte=chosen.due_by)
    if chosen.overdue:
        rows = rows.filter(due_date__lt=today)
    rows = _with_last_review(rows).order_by(*order_by(chosen))
    return Paginator(rows, PAGE_SIZE).get_page(chosen.page)


def worklist_choices(user, queue: Queue) -> tuple[list[Lab], list[TestItem]]:
    """The labs (where the user may do the queue's action) and test items a list filters by."""
    network, lab_ids, districts = labs_where(user, queue.action)
    labs = Lab.objects.order_by("code")
    if not network:
        labs = labs.filter(Q(pk__in=lab_ids) | Q(district_id__in=districts))
    items = TestItem.objects.filter(
        pk__in=Capability.objects.filter(lab__in=labs).values("test_item_id")).order_by("code")
    return list(labs), list(items)
