"""The report desk's two lists, approved applications waiting for a report and issued reports:
the filters, order and page asked for in its query string (each list has its own page).

Pure: the selector (`selectors.desk_page`) turns the filter into a query."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from portlab.core.listing import order_by as listing_order
from portlab.core.listing import read_date, read_sort, whole_number

PAGE_SIZE = 50

# Orders the list may be sorted by: the columns, then the application's id so pages never overlap.
SORTS = {
    "approved": ("approved_at", "id"),
    "application": ("number", "id"),
    "enterprise": ("enterprise__name_zh", "id"),
    "submitted": ("submitted_at", "id"),
}


@dataclass(frozen=True)
class DeskFilter:
    """What the desk shows: lab, enterprise, approved since; its order and page.
    `problems` holds (field, typed text) for values that could not be read (not applied)."""

    lab: int | None = None
    enterprise: int | None = None
    approved_since: dt.date | None = None
    sort: str = "approved"
    descending: bool = False
    page: int = 1
    reports_page: int = 1  # the page of the issued reports, newest first
    problems: tuple[tuple[str, str], ...] = field(default=())

    def query(self, **changes: object) -> str:
        """The query string of this filter (with `changes`), to keep it in links and forms."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        since = chosen.approved_since.isoformat() if chosen.approved_since else ""
        pairs = [("lab", chosen.lab or ""), ("enterprise", chosen.enterprise or ""),
                 ("approved_since", since),
                 ("sort", ("-" if chosen.descending else "") + chosen.sort),
                 ("page", chosen.page if chosen.page > 1 else ""),
                 ("reports_page", chosen.reports_page if chosen.reports_page > 1 else "")]
        return urlencode([(key, value) for key, value in pairs if value != ""])

    def sorted_by(self, column: str) -> str:
        """The query string that sorts by `column`, reversing the order if it is the current."""
        descending = not self.descending if column == self.sort else False
        return self.query(sort=column, descending=descending, page=1)


def _id(query: Mapping[str, str], name: str, problems: list[tuple[str, str]]) -> int | None:
    text = query.get(name, "").strip()
    number = whole_number(text)
    if text and number is None:
        problems.append((name, text))
    return number


def read_desk_filter(query: Mapping[str, str]) -> DeskFilter:
    """The filter the desk's query string asks for; unreadable values are kept as problems."""
    problems: list[tuple[str, str]] = []
    since = read_date(query, "approved_since", problems)
    sort, descending = read_sort(query, SORTS, "approved")
    lab = _id(query, "lab", problems)
    enterprise = _id(query, "enterprise", problems)
    return DeskFilter(lab=lab, enterprise=enterprise, approved_since=since, sort=sort,
                      descending=descending, page=whole_number(query.get("page", "")) or 1,
                      reports_page=whole_number(query.get("reports_page", "")) or 1,
                      problems=tuple(problems))


def order_by(chosen: DeskFilter) -> list[str]:
    return listing_order(SORTS, chosen.sort, chosen.descending)
