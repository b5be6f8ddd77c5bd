"""Checks on one incoming declaration (pure)."""

from decimal import Decimal

import pytest

from portlab.risk.declarations import FieldProblem, declaration_clean
from portlab.risk.tests.conftest import declaration_data


def problem(**changes: str) -> FieldProblem:
    with pytest.raises(FieldProblem) as caught:
        declaration_clean(declaration_data(**changes))
    return caught.value


def test_a_good_declaration_is_typed() -> None:
    clean = declaration_clean(declaration_data(origin_country="th", currency="usd"))
    assert clean.hs_chapter == "10"
    assert clean.origin_country == "TH"
    assert clean.currency == "USD"
    assert clean.net_mass_kg == Decimal("25000")
    assert clean.tax_rate == Decimal("1")


def test_unknown_hs_chapter_is_named() -> None:
    found = problem(hs_code="9900000000")
    assert (found.field, str(found)) == (
        "hs_code", "hs_code: HS chapter 99 does not exist (chapters are 01-97, 77 is unused)")
    assert problem(hs_code="7701000000").params == {"chapter": "77"}


def test_hs_code_must_have_ten_digits() -> None:
    assert str(problem(hs_code="100630")) == (
        "hs_code: must be exactly 10 digits, got “100630”")


def test_negative_and_zero_mass_are_refused() -> None:
    assert str(problem(net_mass_kg="-5")) == "net_mass_kg: must be greater than 0, got -5"
    assert str(problem(net_mass_kg="0")) == "net_mass_kg: must be greater than 0, got 0"


def test_negative_value_and_text_amounts_are_refused() -> None:
    assert str(problem(value="-1")) == "value: must not be negative, got -1"
    assert str(problem(value="12 USD")) == "value: “12 USD” is not a number"
    assert str(problem(tax_rate="130")) == "tax_rate: must be at most 100, got 130"


def test_countries_must_be_iso_codes() -> None:
    assert str(problem(origin_country="XX")) == (
        "origin_country: “XX” is not an ISO 3166 two-letter country code")
    assert problem(departure_country="THA").field == "departure_country"


def test_identifiers_and_required_fields() -> None:
    assert str(problem(number="12345")) == "number: must be exactly 18 digits, got “12345”"
    assert str(problem(office="")) == "office: is required"
    assert problem(transport_mode="ship").field == "transport_mode"
    assert problem(currency="US$").field == "currency"
    assert str(problem(declared_on="02/03/2026")) == (
        "declared_on: “02/03/2026” is not a YYYY-MM-DD date")


def test_importer_code_is_checked() -> None:
    assert str(problem(importer_code="914403001922038217")) == (
        "importer_code: check character is “7”, expected “6”")
    assert declaration_clean(declaration_data(importer_code="1201960abc")).importer_code == (
        "1201960ABC")
    assert problem(importer_code="12345").field == "importer_code"
