"""Declarations stored before conversion (a foreign value, no value in yuan) are converted by
`portlab risk-convert` where their month has a customs rate; the others are listed and stay
refused by rules and the model. The rate of a month holds from its valid_from day to the
month's last day, a later row of the same month replacing it (征税管理办法 第十六条, as
portlab/risk/currency.py reads it)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.risk.conversion import WithoutRate, declarations_convert
from portlab.risk.models import Declaration, ExchangeRate, RiskScore
from portlab.risk.scoring import model_record
from portlab.risk.services import declaration_score, declaration_submit
from portlab.risk.tests.conftest import declaration_data

# A May rate from the 1st, replaced from the 20th; no rate in April or June.
MAY_RATES = [(datetime.date(2026, 5, 1), Decimal("7.1")), (datetime.date(2026, 5, 20),
                                                              Decimal("7.2"))]
DAYS = ["2026-04-30", "2026-05-01", "2026-05-19", "2026-05-20", "2026-05-31", "2026-06-01"]


def stored_before_conversion(officer, day: str, value: str = "1000") -> Declaration:
    """A dollar declaration as rows registered before conversion existed look: no yuan."""
    number = "0202" + day.replace("-", "") + "000001"
    declaration = declaration_submit(actor=officer, data=declaration_data(
        number=number, declared_on=day, value=value))
    Declaration.objects.filter(pk=declaration.pk).update(value_cny=None, exchange_rate=None)
    declaration.refresh_from_db()
    return declaration


@pytest.fixture
def legacy(officer) -> dict[str, Declaration]:
    """One legacy declaration per boundary day; then only May's two rows are in the table."""
    rows = {day: stored_before_conversion(officer, day) for day in DAYS}
    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency="USD", valid_from=valid_from, rate=rate, source="test",
                     updated_at=timezone.now()) for valid_from, rate in MAY_RATES)
    return rows


def test_each_day_takes_the_rate_of_its_month_and_the_boundaries_hold(officer, legacy) -> None:
    outcome = declarations_convert(actor=officer)
    stored = {d.declared_on.isoformat(): (d.value_cny, d.exchange_rate)
              for d in Declaration.objects.all()}
    assert stored == {
        "2026-04-30": (None, None),  # April has no rate: May's never reaches back
        "2026-05-01": (Decimal("7100.00"), Decimal("7.1")),  # first day of the first row
        "2026-05-19": (Decimal("7100.00"), Decimal("7.1")),  # last day before the new row
        "2026-05-20": (Decimal("7200.00"), Decimal("7.2")),  # the replacing row's first day
        "2026-05-31": (Decimal("7200.00"), Decimal("7.2")),  # the month's last day
        "2026-06-01": (None, None),  # June has no rate: May's does not carry over
    }
    assert outcome.converted == [legacy[day].number for day in DAYS[1:5]]
    assert outcome.without_rate == [
        WithoutRate(legacy["2026-04-30"].number, "USD", "2026-04"),
        WithoutRate(legacy["2026-06-01"].number, "USD", "2026-06")]


def test_each_conversion_is_versioned_and_audited(officer, legacy) -> None:
    before = legacy["2026-05-20"].version
    declarations_convert(actor=officer)
    converted = Declaration.objects.get(pk=legacy["2026-05-20"].pk)
    assert converted.version == before + 1
    events = AuditEvent.objects.filter(action="declaration_convert").order_by("id")
    assert [e.entity_id for e in events] == [str(legacy[day].pk) for day in DAYS[1:5]]
    assert events[2].before == {"value_cny": None}
    assert events[2].after == {"value_cny": "7200.00", "exchange_rate": "7.200000",
                               "rate_valid_from": "2026-05-20"}
    assert events[2].actor_name == "officer"


def test_a_second_run_changes_nothing_until_the_missing_rate_arrives(officer, legacy) -> None:
    declarations_convert(actor=officer)
    again = declarations_convert(actor=officer)
    assert again.converted == []
    assert [left.month for left in again.without_rate] == ["2026-04", "2026-06"]
    assert AuditEvent.objects.filter(action="declaration_convert").count() == 4
    ExchangeRate.objects.create(currency="USD", valid_from=datetime.date(2026, 6, 1),
                                rate=Decimal("7.05"), source="test", updated_at=timezone.now())
    late = declarations_convert(actor=officer)
    assert late.converted == [legacy["2026-06-01"].number]
    assert Declaration.objects.get(pk=legacy["2026-06-01"].pk).value_cny == Decimal("7050.00")


def test_an_unconverted_declaration_is_not_scored_on_its_foreign_value(officer, legacy) -> None:
    april = legacy["2026-04-30"]
    scores_before = RiskScore.objects.count()
    for use in (declaration_score, model_record):  # the rules' unit value; the model's price
        with pytest.raises(ApplicationError) as caught:
            use(april)
        assert caught.value.message == (
            f"Declaration {april.number} cannot be scored: no customs exchange rate was applied "
            "to its USD value (registered before conversion). Enter the rate of 2026-04 and "
            "run “portlab risk-convert”.")
        assert caught.value.field == "currency"
    assert RiskScore.objects.count() == scores_before


def test_only_the_keepers_of_rates_convert_and_a_refusal_changes_nothing(staff, legacy) -> None:
    with pytest.raises(PermissionDenied):
        declarations_convert(actor=staff["analyst"])
    assert Declaration.objects.filter(value_cny__isnull=True).count() == len(DAYS)
    assert not AuditEvent.objects.filter(action="declaration_convert").exists()


def test_the_command_reports_each_declaration_left_without_a_rate(legacy) -> None:
    out = StringIO()
    call_command("risk_convert", stdout=out)
    assert out.getvalue().splitlines() == [
        "4 declarations converted to CNY, 2 without a customs rate.",
        f"{legacy['2026-04-30'].number}: no customs exchange rate for USD in 2026-04; "
        "not converted.",
        f"{legacy['2026-06-01'].number}: no customs exchange rate for USD in 2026-06; "
        "not converted."]
    assert AuditEvent.objects.filter(action="declaration_convert",
                                     actor_name="system").count() == 4


def test_a_yuan_declaration_is_never_listed_as_lacking_a_rate(officer, legacy) -> None:
    # Migration 0006 gave stored yuan declarations their value; one without it is not a
    # missing rate, and "no customs exchange rate for CNY" would mislead.
    yuan = declaration_submit(actor=officer, data=declaration_data(
        number="020220260501000009", declared_on="2026-05-02", currency="CNY"))
    Declaration.objects.filter(pk=yuan.pk).update(value_cny=None, exchange_rate=None)
    outcome = declarations_convert(actor=officer)
    assert yuan.number not in outcome.converted
    assert [left.currency for left in outcome.without_rate] == ["USD", "USD"]
