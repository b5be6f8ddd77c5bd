"""The customs rate table: kept by the network's definers, read when a declaration arrives.

The rules (which row applies to a date, rounding) are in the pure `portlab.risk.currency`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.risk import currency
from portlab.risk.models import ExchangeRate

ACTION = "exchange_rate.define"


class RateTable:
    """The rates of the currencies asked for, read once (an import converts many rows)."""

    def __init__(self) -> None:
        self._rates: dict[str, list[currency.Rate]] = {}

    def _of(self, code: str) -> list[currency.Rate]:
        if code not in self._rates:
            self._rates[code] = [
                currency.Rate(r.currency, r.valid_from, r.rate, r.source)
                for r in ExchangeRate.objects.filter(currency=code)]
        return self._rates[code]

    def rate_on(self, code: str, day: datetime.date) -> currency.Rate | None:
        """The customs rate of `code` for a declaration dated `day`; None without one."""
        return currency.rate_valid_on(self._of(code), code, day)

    def convert(self, code: str, day: datetime.date, value: Decimal) -> tuple[Decimal, Decimal]:
        """(value in yuan, rate used); a currency/month without a rate is refused."""
        if code == currency.HOME:
            return value, Decimal(1)
        rate = self.rate_on(code, day)
        if rate is None:
            raise ApplicationError(
                _("There is no customs exchange rate for %(currency)s in %(month)s, so the "
                  "declared value cannot be converted to CNY; enter that month's rate first.")
                % {"currency": code, "month": day.strftime("%Y-%m")}, field="currency")
        return currency.to_cny(value, rate.rate), rate.rate


def guard_exchange_rate_define(*, actor) -> None:
    """The network's definers (and risk officers) keep the rate table."""
    if actor is not None:  # None: the command line, run by the operator
        access.require(actor, ACTION)


def column_label(column: str) -> str:
    """The column as a person reads it (the CSV header keeps the English names)."""
    labels = {"currency": _("Currency"), "valid_from": _("Valid from"), "rate": _("Exchange rate"),
              "header": _("header")}
    return labels.get(column, _("row"))


def problem_error(problem: currency.RateProblem) -> ApplicationError:
    reason = _(problem.template) % problem.params
    return ApplicationError(
        _("Line %(line)d, %(column)s: %(reason)s; nothing was stored.")
        % {"line": problem.line, "column": column_label(problem.column), "reason": reason},
        field=problem.column or None, extra={"line": problem.line})


def _store(actor: User | None, rate: currency.Rate) -> str:
    row = ExchangeRate.objects.select_for_update().filter(
        currency=rate.currency, valid_from=rate.valid_from).first()
    if row is None:
        row = ExchangeRate.objects.create(currency=rate.currency, valid_from=rate.valid_from,
                                          rate=rate.rate, source=rate.source,
                                          updated_at=timezone.now())
        before = None
    elif row.rate == rate.rate and row.source == rate.source:
        return "unchanged"
    else:
        before = {"rate": str(row.rate), "source": row.source}
        row.rate, row.source, row.updated_at = rate.rate, rate.source, timezone.now()
        row.version += 1
        row.save(update_fields=["rate", "source", "updated_at", "version"])
    audit_record(actor=actor, action="exchange_rate_set", entity=row, before=before,
                 after={"currency": row.currency, "valid_from": row.valid_from.isoformat(),
                        "rate": str(row.rate), "source": row.source})
    return "created" if before is None else "changed"


@transaction.atomic
def exchange_rates_import(*, actor: User | None, text: str) -> dict[str, int]:
    """Store every row of a rate CSV, or none when a line is bad; counts by outcome."""
    guard_exchange_rate_define(actor=actor)
    try:
        rates = currency.parse_rates(text)
    except currency.RateProblem as problem:
        raise problem_error(problem) from problem
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    for rate in rates:
        counts[_store(actor, rate)] += 1
    return counts


@transaction.atomic
def exchange_rate_set(*, actor: User, currency_code: str, valid_from: str, rate: str,
                      source: str) -> str:
    """One rate typed on the page; checked like a CSV row."""
    guard_exchange_rate_define(actor=actor)
    row = {"currency": currency_code, "valid_from": valid_from, "rate": rate, "source": source}
    text = ",".join(currency.COLUMNS) + "\n" + ",".join(
        '"' + str(row[name]).replace('"', '""') + '"' for name in currency.COLUMNS) + "\n"
    try:
        [parsed] = currency.parse_rates(text)
    except currency.RateProblem as problem:
        reason = _(problem.template) % problem.params
        raise ApplicationError(_("%(column)s: %(reason)s") % {
            "column": column_label(problem.column), "reason": reason},
            field=problem.column or None) from problem
    return _store(actor, parsed)
