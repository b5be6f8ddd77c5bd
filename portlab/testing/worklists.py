"""The lab's worklists: which tests each queue holds, and the filters, order and page asked for.

Pure: the queue table and the reading of a list's query string; the selector
(`selectors.worklist_page`) turns them into a query."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from portlab.core.listing import order_by as listing_order
from portlab.core.listing import read_date, read_sort, whole_number

PAGE_SIZE = 50


@dataclass(frozen=True)
class Queue:
    """A worklist: the access-table action behind its buttons and the test statuses it holds
    (the first is shown when no status is chosen)."""

    name: str
    url_name: str
    action: str
    statuses: tuple[str, ...]
    mine: bool = False


QUEUES = {
    "assign": Queue("assign", "assignment", "test.assign", ("pending", "assigned")),
    "result": Queue("result", "my_tests", "result.enter", ("assigned", "resulted"), mine=True),
    "review": Queue("review", "review_queue", "test.review", ("resulted",)),
    "approve": Queue("approve", "approval_queue", "test.approve", ("reviewed",)),
}

# Orders a list may be sorted by: the columns, then the test's id so pages never overlap.
SORTS = {
    "due": ("due_date", "id"),
    "sample": ("sample__number", "id"),
    "item": ("test_item__code", "id"),
    "received": ("created_at", "id"),
}


@dataclass(frozen=True)
class WorklistFilter:
    """What a list shows: lab, test item, status, due by, overdue only; its order and page.
    `problems` holds (field, typed text) for values that could not be read (not applied)."""

    status: str
    lab: int | None = None
    test_item: int | None = None
    due_by: dt.date | None = None
    overdue: bool = False
    sort: str = "due"
    descending: bool = False
    page: int = 1
    problems: tuple[tuple[str, str], ...] = field(default=())

    def query(self, **changes: object) -> str:
        """The query string of this filter (with `changes`), to keep it in links and forms."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        pairs = [("status", chosen.status), ("lab", chosen.lab or ""),
                 ("item", chosen.test_item or ""),
                 ("due_by", chosen.due_by.isoformat() if chosen.due_by else ""),
                 ("overdue", "1" if chosen.overdue else ""),
                 ("sort", ("-" if chosen.descending else "") + chosen.sort),
                 ("page", chosen.page if chosen.page > 1 else "")]
        return urlencode([(key, value) for key, value in pairs if value != ""])

    def sorted_by(self, column: str) -> str:
        """The query string that sorts by `column`, reversing the order if it is the current."""
        descending = not self.descending if column == self.sort else False
        return self.query(sort=column, descending=descending, page=1)


def read_filter(query: Mapping[str, str], queue: Queue) -> WorklistFilter:
    """The filter a list's query string asks for; unreadable values are kept as problems."""
    problems: list[tuple[str, str]] = []
    status = query.get("status", "")
    if status not in queue.statuses:
        if status:
            problems.append(("status", status))
        status = queue.statuses[0]
    due_by = read_date(query, "due_by", problems)
    sort, descending = read_sort(query, SORTS, "due")
    return WorklistFilter(
        status=status, lab=whole_number(query.get("lab", "")),
        test_item=whole_number(query.get("item", "")), due_by=due_by,
        overdue=query.get("overdue", "") == "1", sort=sort, descending=descending,
        page=whole_number(query.get("page", "")) or 1, problems=tuple(problems))


def order_by(chosen: WorklistFilter) -> list[str]:
    return listing_order(SORTS, chosen.sort, chosen.descending)
