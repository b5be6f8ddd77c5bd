"""Declarations stored before conversion existed: a foreign-currency value with no value in
yuan. They are converted once the customs rate of their month is in the rate table
(portlab.risk.currency); until then rules and the model refuse them ("no rate")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from portlab.accounts.models import User
from portlab.audit.services import Entry, audit_record_many
from portlab.core.versioning import save_versioned
from portlab.risk import currency
from portlab.risk.exchange_rates import RateTable, guard_exchange_rate_define
from portlab.risk.models import Declaration


@dataclass(frozen=True)
class WithoutRate:
    """A declaration left unconverted: its month has no customs rate for its currency."""

    number: str
    currency: str
    month: str  # YYYY-MM


@dataclass
class Conversion:
    converted: list[str] = field(default_factory=list)  # declaration numbers
    without_rate: list[WithoutRate] = field(default_factory=list)


def unconverted_declarations():
    """Declarations in a foreign currency with no value in yuan, oldest first."""
    return (Declaration.objects.filter(value_cny__isnull=True).exclude(currency=currency.HOME)
            .order_by("declared_on", "number"))


@transaction.atomic
def declarations_convert(*, actor: User | None) -> Conversion:
    """Give every unconverted declaration whose month now has a customs rate its value in
    yuan (and the rate used), each change versioned and audited, all in one transaction;
    list the others by declaration. Running it again changes nothing already converted."""
    guard_exchange_rate_define(actor=actor)
    rates, outcome, events = RateTable(), Conversion(), []
    for declaration in unconverted_declarations().select_for_update():
        rate = rates.rate_on(declaration.currency, declaration.declared_on)
        if rate is None:
            outcome.without_rate.append(WithoutRate(
                declaration.number, declaration.currency,
                declaration.declared_on.strftime("%Y-%m")))
            continue
        declaration.value_cny = currency.to_cny(declaration.value, rate.rate)
        declaration.exchange_rate = rate.rate
        save_versioned(declaration, None, ["value_cny", "exchange_rate"])
        outcome.converted.append(declaration.number)
        events.append(Entry(actor=actor, action="declaration_convert", entity=declaration,
                            before={"value_cny": None},
                            after={"value_cny": str(declaration.value_cny),
                                   "exchange_rate": str(rate.rate),
                                   "rate_valid_from": rate.valid_from.isoformat()}))
    audit_record_many(events)
    return outcome
