"""Small checks shared by the quality services."""

import datetime
import math
from typing import Literal, overload

from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError


def require_text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(message, field=field)
    return text


@overload
def parse_number(raw: object, field: str, *, optional: Literal[False] = False,
                 non_negative: bool = False) -> float: ...
@overload
def parse_number(raw: object, field: str, *, optional: bool,
                 non_negative: bool = False) -> float | None: ...
def parse_number(raw: object, field: str, *, optional: bool = False,
                 non_negative: bool = False) -> float | None:
    """A finite number from user input; the error names the field and the text typed."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        if optional:
            return None
        raise ApplicationError(_("Enter a number for %(field)s.") % {"field": field}, field=field)
    try:
        number = float(text)
    except ValueError:
        raise ApplicationError(_("%(field)s: “%(text)s” is not a number.")
                               % {"field": field, "text": raw}, field=field) from None
    if not math.isfinite(number):
        raise ApplicationError(_("%(field)s: “%(text)s” is not a finite number.")
                               % {"field": field, "text": raw}, field=field)
    if non_negative and number < 0:
        raise ApplicationError(_("%(field)s cannot be negative (got %(text)s).")
                               % {"field": field, "text": raw}, field=field)
    return number


@overload
def parse_date(raw: object, field: str, *, optional: Literal[False] = False,
               label: str | None = None) -> datetime.date: ...
@overload
def parse_date(raw: object, field: str, *, optional: bool,
               label: str | None = None) -> datetime.date | None: ...
def parse_date(raw: object, field: str, *, optional: bool = False,
               label: str | None = None) -> datetime.date | None:
    """A date from user input; the error names the input by `label` (the user's words)."""
    if isinstance(raw, datetime.date):
        return raw
    text, name = str(raw or "").strip(), label or field
    if not text:
        if optional:
            return None
        raise ApplicationError(_("Enter a date for %(field)s.") % {"field": name}, field=field)
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(_("%(field)s: “%(text)s” is not a date (YYYY-MM-DD).")
                               % {"field": name, "text": text}, field=field) from None
