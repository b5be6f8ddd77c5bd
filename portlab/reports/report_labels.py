"""Labels of the report PDF in its language; on a bilingual report (中英文对照), Chinese then
English. The layout calls `_` and `pgettext` from here instead of Django's, inside
`english_too(True)` for a bilingual report."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext, override
from django.utils.translation import pgettext as django_pgettext

BILINGUAL = "zh-en"
# Set while a bilingual report is laid out: every label then reads "Chinese English".
_english_too: ContextVar[bool] = ContextVar("report_english_too", default=False)


@contextmanager
def english_too(active: bool) -> Iterator[None]:
    token = _english_too.set(active)
    try:
        yield
    finally:
        _english_too.reset(token)


def is_bilingual() -> bool:
    return _english_too.get()


def _both(translate, message: str) -> str:
    primary = translate(message)
    if not is_bilingual():
        return primary
    with override("en"):
        english = translate(message)
    return primary if english == primary else f"{primary} {english}"


def column_head(label: str) -> str:
    """A column heading; on a bilingual report the English goes on its own line."""
    return label.replace(" ", "<br/>", 1) if is_bilingual() else label


def _(message: str) -> str:
    """A label in the report's language; on a bilingual report, Chinese then English."""
    return _both(gettext, message)


def pgettext(context: str, message: str) -> str:
    return _both(lambda text: django_pgettext(context, text), message)


def disclaimer_lines() -> list[str]:
    """The footer's disclaimer, one line per language."""
    lines = [gettext("Results relate only to the items tested. Do not reproduce except in "
                     "full.")]
    if is_bilingual():
        with override("en"):
            lines.append(gettext("Results relate only to the items tested. Do not reproduce "
                                 "except in full."))
    return lines
