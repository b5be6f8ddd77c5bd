"""Officers' rules and the combined score (pure)."""

import math
from decimal import Decimal

import pytest

from portlab.risk.declarations import FieldProblem
from portlab.risk.rules import Facts, Rule, combine, logit, rule_applies, rule_check, score

RICE = Facts(hs_code="1006302000", origin_country="TH", importer_code="914403001922038216",
             unit_value=Decimal("0.84"))


def rule(**fields) -> Rule:
    defaults = {"id": 1, "explanation": "why", "weight": 1.0}
    return Rule(**{**defaults, **fields})


def test_combined_score_adds_weights_in_log_odds() -> None:
    assert math.isclose(combine(0.2, []), 0.2)
    # logit(0.2) = -1.386; + ln 4 = 0: odds quadrupled from 1:4 to 1:1.
    assert math.isclose(combine(0.2, [math.log(2), math.log(2)]), 0.5)
    assert math.isclose(combine(0.5, [-math.log(3)]), 0.25)
    assert combine(1.0, [-5.0]) < 1.0
    assert math.isclose(logit(0.0), math.log(1e-6 / (1 - 1e-6)))


def test_rule_applies_when_every_condition_holds() -> None:
    assert rule_applies(rule(hs_prefixes=("1006",), countries=("TH",)), RICE)
    assert not rule_applies(rule(hs_prefixes=("1006",), countries=("VN",)), RICE)
    assert rule_applies(rule(hs_prefixes=("0201", "10")), RICE)
    assert rule_applies(rule(importers=("914403001922038216",)), RICE)
    assert rule_applies(rule(unit_value_max=Decimal("1")), RICE)
    assert not rule_applies(rule(unit_value_min=Decimal("1")), RICE)
    assert not rule_applies(rule(unit_value_min=Decimal("0.5"), unit_value_max=Decimal("0.84")),
                            RICE)


def test_score_lists_matching_rules_heaviest_first() -> None:
    rules = [rule(id=1, hs_prefixes=("1006",), weight=0.5),
             rule(id=2, countries=("TH",), weight=-1.2),
             rule(id=3, countries=("VN",), weight=3.0)]
    combined = score(0.1, rules, RICE)
    assert [r.id for r in combined.matched] == [2, 1]
    assert math.isclose(combined.rule_weight, -0.7)
    assert math.isclose(combined.score, combine(0.1, [-0.7]))


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"hs_prefixes": ("10a6",)}, "hs_prefixes",
     "hs_prefixes: HS code pattern “10a6” must be 2 to 10 digits, nothing else"),
    ({"hs_prefixes": ("1",)}, "hs_prefixes",
     "hs_prefixes: HS code pattern “1” must be 2 to 10 digits, nothing else"),
    ({"hs_prefixes": ("10063020001",)}, "hs_prefixes",
     "hs_prefixes: HS code pattern “10063020001” must be 2 to 10 digits, nothing else"),
    ({"countries": ("ZZ",)}, "countries",
     "countries: “ZZ” is not an ISO 3166 two-letter country code"),
    ({}, "hs_prefixes", "hs_prefixes: give at least one condition: HS code prefixes, countries, "
     "importers or a unit value band"),
    ({"countries": ("TH",), "weight": 11.0}, "weight",
     "weight: must be a number between -10.0 and 10.0"),
    ({"countries": ("TH",), "explanation": " "}, "explanation",
     "explanation: say why the rule raises or lowers the risk"),
    ({"unit_value_min": Decimal(5), "unit_value_max": Decimal(2)}, "unit_value_max",
     "unit_value_max: the upper unit value (2) must be above the lower one (5)"),
])
def test_invalid_rules_are_refused_with_the_field(fields, field, message) -> None:
    with pytest.raises(FieldProblem) as caught:
        rule_check(rule(**fields))
    assert (caught.value.field, str(caught.value)) == (field, message)
