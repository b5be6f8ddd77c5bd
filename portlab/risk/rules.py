"""Officers' risk rules and how they combine with the learned probability (pure, no Django).

A rule holds up to four conditions; it applies when every condition it has is met:
  - HS code prefixes (digits, 2-10 long): the declaration's HS code starts with one of them;
  - countries (ISO alpha-2): the country of origin is one of them;
  - importers (credit or customs codes): the importer is one of them;
  - a unit value band (declared value per kg): min <= value / net mass < max.

Combined score. With p the model's probability and w_i the weights of the rules that apply:

    score = logistic(logit(p) + sum(w_i))

so a weight is a change in log-odds: +0.69 doubles the odds, -0.69 halves them, and rules add
up the way independent pieces of evidence do. p is clipped to [1e-6, 1 - 1e-6] first, so a
model that is certain can still be moved by a rule. Without a trained model p is the base rate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from portlab.risk.declarations import COUNTRIES, FieldProblem

HS_PREFIX = re.compile(r"\d{2,10}")
EPSILON = 1e-6
MAX_WEIGHT = 10.0


def _(template: str) -> str:
    return template


@dataclass(frozen=True)
class Rule:
    id: int
    explanation: str
    weight: float
    hs_prefixes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    importers: tuple[str, ...] = ()
    unit_value_min: Decimal | None = None
    unit_value_max: Decimal | None = None


@dataclass(frozen=True)
class Facts:
    """What rules look at in one declaration."""

    hs_code: str
    origin_country: str
    importer_code: str
    unit_value: Decimal


@dataclass
class Combined:
    score: float
    model_probability: float
    rule_weight: float
    matched: list[Rule] = field(default_factory=list)


def hs_prefix_check(pattern: str) -> str:
    if not HS_PREFIX.fullmatch(pattern):
        raise FieldProblem("hs_prefixes", _("HS code pattern “%(value)s” must be 2 to 10 "
                                            "digits, nothing else"), value=pattern)
    return pattern


def rule_check(rule: Rule) -> Rule:
    """Raise FieldProblem naming the first thing wrong with the rule."""
    for pattern in rule.hs_prefixes:
        hs_prefix_check(pattern)
    for country in rule.countries:
        if country not in COUNTRIES:
            raise FieldProblem("countries", _("“%(value)s” is not an ISO 3166 two-letter "
                                              "country code"), value=country)
    low, high = rule.unit_value_min, rule.unit_value_max
    if (low is not None and low < 0) or (high is not None and high <= 0):
        raise FieldProblem("unit_value_min", _("unit value limits must be positive"))
    if low is not None and high is not None and low >= high:
        raise FieldProblem("unit_value_max", _("the upper unit value (%(high)s) must be above "
                                               "the lower one (%(low)s)"), low=low, high=high)
    if not (rule.hs_prefixes or rule.countries or rule.importers
            or low is not None or high is not None):
        raise FieldProblem("hs_prefixes", _("give at least one condition: HS code prefixes, "
                                            "countries, importers or a unit value band"))
    if not math.isfinite(rule.weight) or abs(rule.weight) > MAX_WEIGHT:
        raise FieldProblem("weight", _("must be a number between -%(limit)s and %(limit)s"),
                           limit=MAX_WEIGHT)
    if not rule.explanation.strip():
        raise FieldProblem("explanation", _("say why the rule raises or lowers the risk"))
    return rule


def rule_applies(rule: Rule, facts: Facts) -> bool:
    if rule.hs_prefixes and not facts.hs_code.startswith(tuple(rule.hs_prefixes)):
        return False
    if rule.countries and facts.origin_country not in rule.countries:
        return False
    if rule.importers and facts.importer_code not in rule.importers:
        return False
    if rule.unit_value_min is not None and facts.unit_value < rule.unit_value_min:
        return False
    return rule.unit_value_max is None or facts.unit_value < rule.unit_value_max


def logit(probability: float) -> float:
    p = min(max(probability, EPSILON), 1 - EPSILON)
    return math.log(p / (1 - p))


def logistic(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


def combine(model_probability: float, weights: Sequence[float]) -> float:
    """logistic(logit(p) + sum of weights): see the module docstring."""
    total = sum(weights)
    if total == 0:
        return model_probability  # exactly, without a round trip through log-odds
    return logistic(logit(model_probability) + total)


def score(model_probability: float, rules: Iterable[Rule], facts: Facts) -> Combined:
    """The combined score and the rules that apply, heaviest (by |weight|) first."""
    matched = sorted((r for r in rules if rule_applies(r, facts)),
                     key=lambda r: (-abs(r.weight), r.id))
    weights = [r.weight for r in matched]
    return Combined(score=combine(model_probability, weights),
                    model_probability=model_probability, rule_weight=sum(weights),
                    matched=matched)
