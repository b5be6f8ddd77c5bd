"""Checks on one customs declaration (报关单) as it arrives, field by field (pure, no Django).

`declaration_clean(raw)` returns typed values or raises `FieldProblem(field, template, params)`;
callers translate `template` (marked with `_` for makemessages) and add the CSV line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from portlab.accounts.credit_code import CreditCodeError, validate_credit_code
from portlab.core import hs_code
from portlab.intake.validation import DECLARATION_NUMBER

# ISO 3166-1 alpha-2, officially assigned codes.
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())
TRANSPORT_MODES = ("sea", "rail", "road", "air", "mail", "other")
CURRENCY = re.compile(r"[A-Z]{3}")
CUSTOMS_CODE = re.compile(r"[0-9A-Z]{10}")
OFFICE = re.compile(r"\d{4}")
LARGEST = Decimal("100000000000")  # what the database columns hold
TEXT_LIMITS = {"declarant": 40, "importer_name": 200, "seller": 60, "goods_description": 300,
               "tax_type": 10}
REQUIRED = ("number", "declared_on", "office", "importer_code", "hs_code", "origin_country",
            "departure_country", "transport_mode", "net_mass_kg", "value", "currency")
FIELDS = REQUIRED + ("declarant", "importer_name", "seller", "goods_description", "tax_type",
                     "tax_rate")


def _(template: str) -> str:
    """Marks a message for translation by the caller (this module has no Django)."""
    return template


class FieldProblem(ValueError):
    """`field` is wrong; `template % params` says why (callers translate the template)."""

    def __init__(self, field: str, template: str, **params: object) -> None:
        self.field, self.template, self.params = field, template, params
        super().__init__(f"{field}: {template % params}")


@dataclass(frozen=True)
class CleanDeclaration:
    number: str
    declared_on: datetime.date
    office: str
    declarant: str
    importer_code: str
    importer_name: str
    seller: str
    hs_code: str
    goods_description: str
    origin_country: str
    departure_country: str
    transport_mode: str
    tax_type: str
    tax_rate: Decimal
    net_mass_kg: Decimal
    value: Decimal
    currency: str

    @property
    def hs_chapter(self) -> str:
        return self.hs_code[:2]


def hs_code_check(code: str, field: str = "hs_code") -> str:
    try:
        return hs_code.hs_code_check(code)
    except hs_code.HsCodeError as error:
        raise FieldProblem(field, error.template, **error.params) from error


def country_check(code: str, field: str) -> str:
    if code not in COUNTRIES:
        raise FieldProblem(field, _("“%(value)s” is not an ISO 3166 two-letter country code"),
                           value=code)
    return code


def importer_code_check(code: str) -> str:
    """A unified social credit code (18 characters) or a 10-character customs code."""
    if len(code) == 18:
        try:
            return validate_credit_code(code)
        except CreditCodeError as error:
            raise FieldProblem("importer_code", error.template, **error.params) from error
    if CUSTOMS_CODE.fullmatch(code):
        return code
    raise FieldProblem("importer_code", _("must be an 18-character unified social credit code "
                                          "or a 10-character customs code, got “%(value)s”"),
                       value=code)


def _amount(raw: str, field: str, *, positive: bool, upper: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise FieldProblem(field, _("“%(value)s” is not a number"), value=raw)
    if number < 0 or (positive and number == 0):
        template = _("must be greater than 0, got %(value)s") if positive else _(
            "must not be negative, got %(value)s")
        raise FieldProblem(field, template, value=raw)
    if upper is not None and number > upper:
        raise FieldProblem(field, _("must be at most %(upper)s, got %(value)s"),
                           upper=upper, value=raw)
    return number


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as error:
        raise FieldProblem("declared_on", _("“%(value)s” is not a YYYY-MM-DD date"),
                           value=raw) from error


def _text(values: Mapping[str, str], field: str) -> str:
    value = values.get(field, "")
    if len(value) > TEXT_LIMITS[field]:
        raise FieldProblem(field, _("is longer than %(limit)d characters"),
                           limit=TEXT_LIMITS[field])
    return value


def _identifiers(values: Mapping[str, str]) -> None:
    if not DECLARATION_NUMBER.fullmatch(values["number"]):
        raise FieldProblem("number", _("must be exactly 18 digits, got “%(value)s”"),
                           value=values["number"])
    if not OFFICE.fullmatch(values["office"]):
        raise FieldProblem("office", _("must be a 4-digit customs office code, got "
                                       "“%(value)s”"), value=values["office"])
    if values["transport_mode"] not in TRANSPORT_MODES:
        raise FieldProblem("transport_mode", _("must be one of %(choices)s, got “%(value)s”"),
                           choices=", ".join(TRANSPORT_MODES), value=values["transport_mode"])
    if not CURRENCY.fullmatch(values["currency"]):
        raise FieldProblem("currency", _("must be a three-letter ISO 4217 code, got "
                                         "“%(value)s”"), value=values["currency"])


def declaration_clean(raw: Mapping[str, object]) -> CleanDeclaration:
    """Typed, checked values of one declaration; the first problem found is raised."""
    values = {name: str(raw.get(name) or "").strip() for name in FIELDS}
    for name in ("currency", "origin_country", "departure_country", "importer_code"):
        values[name] = values[name].upper()
    for name in REQUIRED:
        if not values[name]:
            raise FieldProblem(name, _("is required"))
    _identifiers(values)
    return CleanDeclaration(
        number=values["number"], declared_on=_date(values["declared_on"]),
        office=values["office"], declarant=_text(values, "declarant"),
        importer_code=importer_code_check(values["importer_code"]),
        importer_name=_text(values, "importer_name"), seller=_text(values, "seller"),
        hs_code=hs_code_check(values["hs_code"]),
        goods_description=_text(values, "goods_description"),
        origin_country=country_check(values["origin_country"], "origin_country"),
        departure_country=country_check(values["departure_country"], "departure_country"),
        transport_mode=values["transport_mode"], tax_type=_text(values, "tax_type"),
        tax_rate=_amount(values["tax_rate"] or "0", "tax_rate", positive=False,
                         upper=Decimal(100)),
        net_mass_kg=_amount(values["net_mass_kg"], "net_mass_kg", positive=True, upper=LARGEST),
        value=_amount(values["value"], "value", positive=False, upper=LARGEST),
        currency=values["currency"],
    )
