"""Declared values in other currencies, converted to CNY the way China Customs does (pure).

China Customs converts a foreign-currency value with its monthly "海关汇率" (计征汇率):
《中华人民共和国海关进出口货物征税管理办法》(海关总署令第124号, as amended) 第十六条, as the
General Administration's monthly rate notices quote it — the rate used in
a month is the People's Bank of China central parity (基准汇率) of that currency against the
yuan published on the third Wednesday of the previous month (the fourth Wednesday when the
third is a public holiday); for currencies without a central parity, the middle of the Bank of
China's spot buying and selling rates at the same time, rounded to 4 decimals. The General
Administration may fix another rate when rates move sharply, and the value in yuan is
rounded half up to the fen (完税价格采用四舍五入法计算至分).

So a rate row is valid from its `valid_from` day to the end of that calendar month, unless a
later row of the same month replaces it: a declaration in May never borrows April's rate, it is
refused until May's rate is entered. The rate is yuan per one unit of the currency.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HOME = "CNY"
FEN = Decimal("0.01")
CURRENCY = re.compile(r"[A-Z]{3}")
COLUMNS = ("currency", "valid_from", "rate", "source")
LARGEST_RATE = Decimal("100000")  # the column holds 5 integer digits


def _(template: str) -> str:
    """Marks a template for makemessages; the caller translates it."""
    return template


@dataclass(frozen=True)
class Rate:
    currency: str
    valid_from: datetime.date
    rate: Decimal
    source: str = ""


class RateProblem(ValueError):
    """One bad line of a rate file: line number, column and the reason (an English template
    with its parameters, translated by the caller)."""

    def __init__(self, line: int, column: str, template: str, **params: object):
        super().__init__(template % params)
        self.line, self.column, self.template, self.params = line, column, template, params


def rate_valid_on(rates: Iterable[Rate], currency: str, day: datetime.date) -> Rate | None:
    """The rate of `currency` for a declaration dated `day`: the latest row from the same
    month on or before that day; None when that month has none."""
    found = None
    for rate in rates:
        same_month = (rate.valid_from.year, rate.valid_from.month) == (day.year, day.month)
        if rate.currency == currency and same_month and rate.valid_from <= day:
            if found is None or rate.valid_from > found.valid_from:
                found = rate
    return found


def to_cny(value: Decimal, rate: Decimal) -> Decimal:
    """Yuan for `value` at `rate` yuan per unit, rounded half up to the fen."""
    return (value * rate).quantize(FEN, rounding=ROUND_HALF_UP)


def parse_rates(text: str) -> list[Rate]:
    """Every row of a rate CSV (columns currency, valid_from, rate, source), checked; the
    first bad line raises RateProblem, so a caller stores all rows or none."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS[:3] if name not in header]
    if missing:
        raise RateProblem(1, "header", _("missing column(s) %(columns)s"),
                          columns=", ".join(missing))
    reader.fieldnames = header
    rates: list[Rate] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    for row in reader:
        line = reader.line_num
        if None in row or any(value is None for value in row.values()):
            raise RateProblem(line, "", _("expected %(count)d fields"), count=len(header))
        rate = _row(line, row)
        key = (rate.currency, rate.valid_from)
        if key in seen:
            raise RateProblem(line, "valid_from", _("%(currency)s from %(day)s already "
                                                        "appears on line %(first)d"),
                              currency=rate.currency, day=rate.valid_from.isoformat(),
                              first=seen[key])
        seen[key] = line
        rates.append(rate)
    return rates


def _row(line: int, row: dict[str, str]) -> Rate:
    currency = (row.get("currency") or "").strip().upper()
    if not CURRENCY.fullmatch(currency) or currency == HOME:
        raise RateProblem(line, "currency", _("“%(value)s” is not a foreign ISO 4217 "
                                            "currency code"), value=currency)
    raw_day = (row.get("valid_from") or "").strip()
    try:
        day = datetime.date.fromisoformat(raw_day)
    except ValueError:
        raise RateProblem(line, "valid_from", _("“%(value)s” is not a YYYY-MM-DD date"),
                          value=raw_day) from None
    return Rate(currency, day, rate_check(line, (row.get("rate") or "").strip()),
                (row.get("source") or "").strip()[:200])


def rate_check(line: int, raw: str) -> Decimal:
    """A rate: a positive decimal below LARGEST_RATE with at most 6 decimals."""
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        raise RateProblem(line, "rate", _("“%(value)s” is not a number"), value=raw) from None
    if not rate.is_finite() or rate <= 0 or rate >= LARGEST_RATE:
        raise RateProblem(line, "rate", _("must be a positive number of yuan per unit "
                                        "below %(largest)s, got “%(value)s”"),
                          largest=LARGEST_RATE, value=raw)
    if -rate.as_tuple().exponent > 6:  # type: ignore[operator]
        raise RateProblem(line, "rate", _("has more than 6 decimals: “%(value)s”"), value=raw)
    return rate
