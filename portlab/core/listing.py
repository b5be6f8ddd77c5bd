"""Reading a list page's query string: whole numbers, dates, the sort column and its order.
Shared by the testing worklists and the report desk. Pure: no Django."""

import datetime as dt
from collections.abc import Mapping


def whole_number(text: str) -> int | None:
    """A positive whole number, or None."""
    text = text.strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def read_date(query: Mapping[str, str], name: str,
              problems: list[tuple[str, str]]) -> dt.date | None:
    """The ISO date under `name`; an unreadable one is added to `problems` (not applied)."""
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append((name, text))
        return None


def read_sort(query: Mapping[str, str], sorts: Mapping[str, tuple[str, ...]],
              default: str) -> tuple[str, bool]:
    """The sort column asked for ("-column" for descending), or `default` ascending."""
    asked = query.get("sort", default)
    sort = asked.lstrip("-")
    if sort not in sorts:
        return default, False
    return sort, asked.startswith("-")


def order_by(sorts: Mapping[str, tuple[str, ...]], sort: str, descending: bool) -> list[str]:
    """The ORM order of a sort column (its columns, each reversed when descending)."""
    return [f"-{name}" if descending else name for name in sorts[sort]]
