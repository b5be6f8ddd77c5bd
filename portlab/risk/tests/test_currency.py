"""Declared values converted to CNY at the customs rate of the declaration's month."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError
from portlab.risk import currency
from portlab.risk.exchange_rates import RateTable, exchange_rate_set, exchange_rates_import
from portlab.risk.importing import declarations_import
from portlab.risk.models import Declaration, ExchangeRate
from portlab.risk.reasons import model_reason, reason_text
from portlab.risk.services import declaration_submit
from portlab.risk.tests.conftest import declaration_data, history_csv

MARCH = [currency.Rate("USD", datetime.date(2026, 3, 1), Decimal("7.1")),
         currency.Rate("USD", datetime.date(2026, 3, 16), Decimal("7.2")),
         currency.Rate("EUR", datetime.date(2026, 3, 1), Decimal("7.8"))]


def test_a_rate_holds_from_its_day_to_the_end_of_its_month() -> None:
    def rate(day: int, month: int = 3, code: str = "USD") -> Decimal | None:
        found = currency.rate_valid_on(MARCH, code, datetime.date(2026, month, day))
        return found.rate if found else None

    assert (rate(1), rate(15), rate(16), rate(31)) == (Decimal("7.1"), Decimal("7.1"),
                                                       Decimal("7.2"), Decimal("7.2"))
    assert rate(1, code="EUR") == Decimal("7.8")
    assert rate(1, month=4) is None  # April never borrows March's rate
    assert rate(1, code="JPY") is None


def test_yuan_are_rounded_half_up_to_the_fen() -> None:
    assert currency.to_cny(Decimal("12000"), Decimal("7.1")) == Decimal("85200.00")
    # 0.15 × 7.1 = 1.065: half up gives 1.07 (half even would give 1.06)
    assert currency.to_cny(Decimal("0.15"), Decimal("7.1")) == Decimal("1.07")
    assert currency.to_cny(Decimal("21000"), Decimal("7.123456")) == Decimal("149592.58")


def test_a_dollar_declaration_is_scored_on_its_value_in_yuan(officer) -> None:
    declaration = declaration_submit(actor=officer, data=declaration_data(value="21000"))
    assert (declaration.value, declaration.currency) == (Decimal("21000"), "USD")
    assert (declaration.value_cny, declaration.exchange_rate) == (Decimal("149100.00"),
                                                                 Decimal("7.1"))
    event = AuditEvent.objects.get(action="declaration_register")
    assert event.after["value_cny"] == "149100.00"


def test_a_yuan_declaration_needs_no_rate(officer) -> None:
    ExchangeRate.objects.all().delete()
    declaration = declaration_submit(actor=officer, data=declaration_data(currency="CNY"))
    assert (declaration.value_cny, declaration.exchange_rate) == (Decimal("21000"), Decimal(1))


def test_a_month_without_a_rate_is_refused_not_read_one_to_one(officer) -> None:
    ExchangeRate.objects.filter(valid_from__month=3, valid_from__year=2026).delete()
    with pytest.raises(ApplicationError) as caught:
        declaration_submit(actor=officer, data=declaration_data())
    assert caught.value.message == (
        "There is no customs exchange rate for USD in 2026-03, so the declared value cannot be "
        "converted to CNY; enter that month's rate first.")
    assert caught.value.field == "currency"
    assert Declaration.objects.count() == 0


def test_an_import_names_the_line_whose_month_has_no_rate(db) -> None:
    ExchangeRate.objects.filter(valid_from__year=2025, valid_from__month=6).delete()
    text = history_csv(30)
    first_june = next(number for number, line in enumerate(text.splitlines(), start=1)
                      if ",2025-06-" in line)
    with pytest.raises(ApplicationError) as caught:
        declarations_import(actor=None, text=text)
    assert caught.value.extra == {"line": first_june}
    assert caught.value.message.startswith(
        f"Line {first_june}: There is no customs exchange rate for USD in 2025-06")
    assert Declaration.objects.count() == 0


def test_rate_csv_is_stored_whole_and_audited(officer) -> None:
    text = ("currency,valid_from,rate,source\n"
            "usd,2030-01-01,7.0123,PBoC central parity 2029-12-19\n"
            "EUR,2030-01-01,7.6543,\n")
    assert exchange_rates_import(actor=officer, text=text) == {
        "created": 2, "changed": 0, "unchanged": 0}
    assert exchange_rates_import(actor=officer, text=text)["unchanged"] == 2
    stored = ExchangeRate.objects.get(currency="USD", valid_from="2030-01-01")
    assert (stored.rate, stored.source) == (Decimal("7.0123"), "PBoC central parity 2029-12-19")
    assert AuditEvent.objects.filter(action="exchange_rate_set").count() == 2
    table = RateTable()
    assert table.convert("EUR", datetime.date(2030, 1, 31), Decimal("100")) == (
        Decimal("765.43"), Decimal("7.6543"))


@pytest.mark.parametrize(("line", "message"), [
    ("USD,2030-02-30,7.1,", "Line 3, Valid from: “2030-02-30” is not a YYYY-MM-DD date; "
                            "nothing was stored."),
    ("USD,2030-02-01,-7.1,", "Line 3, Exchange rate: must be a positive number of yuan per "
                             "unit below 100000, got “-7.1”; nothing was stored."),
    ("USD,2030-02-01,7.1234567,", "Line 3, Exchange rate: has more than 6 decimals: “7.1234567”; "
                                  "nothing was stored."),
    ("CNY,2030-02-01,1,", "Line 3, Currency: “CNY” is not a foreign ISO 4217 currency code; "
                          "nothing was stored."),
    ("USD,2030-01-01,7.2,", "Line 3, Valid from: USD from 2030-01-01 already appears on line 2; "
                            "nothing was stored."),
    ("USD,2030-02-01", "Line 3, row: expected 4 fields; nothing was stored."),
])
def test_a_bad_rate_line_stores_nothing(officer, line: str, message: str) -> None:
    before = ExchangeRate.objects.count()
    text = f"currency,valid_from,rate,source\nUSD,2030-01-01,7.1,\n{line}\n"
    with pytest.raises(ApplicationError) as caught:
        exchange_rates_import(actor=officer, text=text)
    assert caught.value.message == message
    assert caught.value.extra == {"line": 3}
    assert ExchangeRate.objects.count() == before


def test_a_bad_rate_line_is_told_in_chinese(officer) -> None:
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        exchange_rates_import(actor=officer, text="currency,valid_from,rate\nUSD,2030-01-01,x\n")
    assert caught.value.message == "第 2 行，汇率：“x”不是数字；未保存任何数据。"


def test_the_command_loads_a_file_and_reports_a_bad_line(db, tmp_path) -> None:
    good = tmp_path / "rates.csv"
    good.write_text("currency,valid_from,rate,source\nJPY,2030-01-01,0.0471,PBoC\n",
                    encoding="utf-8")
    call_command("risk_rates", str(good))
    assert ExchangeRate.objects.get(currency="JPY").rate == Decimal("0.0471")
    bad = tmp_path / "bad.csv"
    bad.write_text("currency,valid_from,rate\nGBP,2030-01-01,0\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 2, Exchange rate: must be a positive number"):
        call_command("risk_rates", str(bad))
    assert not ExchangeRate.objects.filter(currency="GBP").exists()


def test_only_the_definers_and_risk_officers_keep_rates(officer, staff) -> None:
    analyst = staff["analyst"]
    with pytest.raises(ApplicationError) as caught:
        exchange_rate_set(actor=analyst, currency_code="USD", valid_from="2030-05-01",
                          rate="7.1", source="")
    assert caught.value.status_code == 403
    assert exchange_rate_set(actor=officer, currency_code="usd", valid_from="2030-05-01",
                             rate="7.1", source="") == "created"


def test_the_rate_page_lists_and_refuses_a_bad_rate_keeping_what_was_typed(officer_client) -> None:
    page = officer_client.get("/risk/rates/")
    assert page.status_code == 200
    assert "7.1" in page.content.decode()
    response = officer_client.post("/risk/rates/new/", {
        "currency": "USD", "valid_from": "2030-06-01", "rate": "seven", "source": "typed"},
        follow=True)
    text = response.content.decode()
    assert "Exchange rate: “seven” is not a number" in text
    assert 'value="seven"' in text and 'value="typed"' in text
    assert not ExchangeRate.objects.filter(valid_from="2030-06-01").exists()


def test_the_reason_names_the_declared_currency_and_its_yuan(db) -> None:
    stored = model_reason({"code": "item_price", "params": {"amount": 85200.0},
                           "contribution": 0.4}, currency="USD", declared=Decimal("12000"))
    assert stored["params"] == {"amount": 85200.0, "currency": "USD", "declared": 12000.0}
    with translation.override("en"):
        assert reason_text(stored) == "declared value USD 12,000 ≈ CNY 85,200 (raises risk, +0.40)"
    with translation.override("zh-hans"):
        assert reason_text(stored) == "申报价格 USD 12,000 ≈ CNY 85,200（提高风险，+0.40）"
    in_yuan = model_reason({"code": "unit_value", "params": {"amount": 3.4},
                            "contribution": -0.1}, currency="CNY", declared=Decimal("1"))
    with translation.override("en"):
        assert reason_text(in_yuan) == "unit value CNY 3 per kg (lowers risk, -0.10)"


def test_reasons_are_rendered_in_the_readers_language(officer) -> None:
    declaration = declaration_submit(actor=officer, data=declaration_data())
    client = Client()
    client.force_login(officer)
    english = client.get(f"/risk/declarations/{declaration.number}/",
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(f"/risk/declarations/{declaration.number}/",
                         HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "No trained model yet: every declaration starts at 5%." in english
    assert "尚无训练好的模型：每份报关单的初始风险为 5%。" in chinese
    assert "USD 21,000.00 ≈ CNY 149,100.00" in english
    assert "CNY 5.96/kg" in english


def test_old_reasons_stored_as_text_still_display(officer) -> None:
    declaration = declaration_submit(actor=officer, data=declaration_data())
    declaration.risk_score.reasons = [{"kind": "model", "rule": None, "weight": None,
                                       "text": "Item Price 21,000 KRW (raises risk, +0.30)"}]
    declaration.risk_score.save()
    with translation.override("zh-hans"):
        assert reason_text(declaration.risk_score.reasons[0]) == (
            "Item Price 21,000 KRW (raises risk, +0.30)")
