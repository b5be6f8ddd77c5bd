"""What the daily alert e-mail lists: a registry of alert sources. Each app adds its own in
its tasks.py with one line, e.g.

    alert_source("overdue_tests", gettext_lazy("Overdue tests"), overdue_tests, test_line)

A source is a selector `rows(lab, today)` and `line(row) -> str`, said in the active language
(the e-mail is made once per language). The sender (portlab/network/alerts.py) mails each lab's
quality and lab managers what all sources list for their lab.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise as StrPromise


@dataclass(frozen=True)
class AlertSource:
    name: str
    title: "str | StrPromise"
    rows: Callable[[Any, datetime.date], Iterable[Any]]
    line: Callable[[Any], str] = str


ALERT_SOURCES: dict[str, AlertSource] = {}


def alert_source(name: str, title: "str | StrPromise",
                 rows: Callable[[Any, datetime.date], Iterable[Any]],
                 line: Callable[[Any], str] = str) -> AlertSource:
    """Register a source of the daily alerts (once per name)."""
    source = AlertSource(name, title, rows, line)
    if name in ALERT_SOURCES and ALERT_SOURCES[name] != source:
        raise ValueError(f"alert source {name!r} is registered twice")
    ALERT_SOURCES[name] = source
    return source
