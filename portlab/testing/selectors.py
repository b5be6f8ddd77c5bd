"""Reads of tests: work lists per role, limited to the user's labs."""

from django.db.models import QuerySet

from portlab.accounts.permissions import visible_lab_filter
from portlab.core.errors import NotFound
from portlab.testing.models import Test


def tests_visible_to(user) -> QuerySet[Test]:
    return (Test.objects.select_related("sample__application", "test_item", "capability__method",
                                        "lab", "analyst", "result")
            .filter(visible_lab_filter(user, "")))


def test_get(user, test_id: int) -> Test:
    test = tests_visible_to(user).filter(pk=test_id).first()
    if test is None:
        raise NotFound(f"Test {test_id} not found.")
    return test


def worklist(user, status: str, *, mine: bool = False) -> QuerySet[Test]:
    rows = tests_visible_to(user).filter(status=status)
    if mine:
        rows = rows.filter(analyst=user)
    return rows.order_by("due_date", "id")
