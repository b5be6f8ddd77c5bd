"""What risk officers set: rules, target sampling rates, and risk profiles (lab tests by HS)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import Enterprise, User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, NotFound
from portlab.core.versioning import require_version, save_versioned
from portlab.network.models import ProductCategory, TestItem
from portlab.risk import rules as rulebook
from portlab.risk import selection, selectors
from portlab.risk.declarations import FieldProblem, hs_code_check
from portlab.risk.models import RiskProfile, RiskRule, SamplingRate
from portlab.risk.services import field_error


def _codes(values: list[str] | str, upper: bool = True) -> tuple[str, ...]:
    """A list, or text separated by commas or spaces, as codes (upper-case unless told)."""
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    cleaned = (v.strip().upper() if upper else v.strip() for v in values if v.strip())
    return tuple(dict.fromkeys(cleaned))


def _decimal(value: object, field: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ApplicationError(_("%(field)s: “%(value)s” is not a number.")
                               % {"field": field, "value": value}, field=field) from error
    if not number.is_finite():
        raise ApplicationError(_("%(field)s: “%(value)s” is not a number.")
                               % {"field": field, "value": value}, field=field)
    return number


def _weight(value: object) -> float:
    try:
        return float(str(value).strip())
    except ValueError as error:
        raise ApplicationError(_("weight: “%s” is not a number.") % value,
                               field="weight") from error


@transaction.atomic
def risk_rule_create(*, actor: User, explanation: str, weight: object,
                     hs_prefixes: list[str] | str = (), countries: list[str] | str = (),
                     importers: list[str] | str = (), unit_value_min: object = None,
                     unit_value_max: object = None) -> RiskRule:
    """Add an active rule after checking every condition (see portlab.risk.rules)."""
    selectors.require_risk_officer(actor)
    candidate = rulebook.Rule(
        id=0, explanation=explanation.strip(), weight=_weight(weight),
        hs_prefixes=_codes(hs_prefixes, upper=False),
        countries=_codes(countries), importers=_codes(importers),
        unit_value_min=_decimal(unit_value_min, "unit_value_min"),
        unit_value_max=_decimal(unit_value_max, "unit_value_max"),
    )
    try:
        rulebook.rule_check(candidate)
    except FieldProblem as problem:
        raise field_error(problem) from problem
    rule = RiskRule.objects.create(
        explanation=candidate.explanation, weight=candidate.weight,
        hs_prefixes=list(candidate.hs_prefixes), countries=list(candidate.countries),
        importers=list(candidate.importers), unit_value_min=candidate.unit_value_min,
        unit_value_max=candidate.unit_value_max, created_by=actor, created_at=timezone.now())
    audit_record(actor=actor, action="risk_rule_create", entity=rule,
                 after={"explanation": rule.explanation, "weight": rule.weight,
                        "hs_prefixes": rule.hs_prefixes, "countries": rule.countries,
                        "importers": rule.importers})
    return rule


def guard_risk_rule_deactivate(*, actor, obj: RiskRule | None) -> None:
    """Risk officers retire rules (checked before the rule's existence is told)."""
    selectors.require_risk_officer(actor)


@transaction.atomic
def risk_rule_deactivate(*, actor: User, rule_id: int, reason: str,
                         expected_version: int | None = None) -> RiskRule:
    rule = RiskRule.objects.select_for_update().filter(pk=rule_id).first()
    guard_risk_rule_deactivate(actor=actor, obj=rule)
    if rule is None:
        raise NotFound(_("Rule %d not found.") % rule_id)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for retiring the rule."), field="reason")
    require_version(rule, expected_version)
    if rule.active:
        rule.active = False
        save_versioned(rule, expected_version, ["active"])
        audit_record(actor=actor, action="risk_rule_deactivate", entity=rule,
                     before={"active": True}, after={"active": False}, reason=reason.strip())
    return rule


def _chapter_check(hs_chapter: str) -> str:
    if hs_chapter == "":
        return hs_chapter
    try:
        hs_code_check(hs_chapter.ljust(10, "0"), field="hs_chapter")
    except FieldProblem as problem:
        raise field_error(problem) from problem
    if len(hs_chapter) != 2:
        raise ApplicationError(_("hs_chapter: give two digits (e.g. 10), or nothing for every "
                                 "chapter."), field="hs_chapter")
    return hs_chapter


def _credit_bounds(hs_chapter: str, credit_grade: str, rate: float) -> None:
    if credit_grade == selection.ADVANCED:
        general = selectors.target_rate(hs_chapter, selection.GENERAL)
        ceiling = selection.ADVANCED_SHARE_OF_GENERAL * general
        if rate > ceiling + 1e-12:
            raise ApplicationError(
                _("Advanced certified enterprises may be inspected at most at 20%% of the "
                  "general rate (%(general).1f%%), so at most %(ceiling).2f%%.")
                % {"general": general * 100, "ceiling": ceiling * 100}, field="rate")
    if credit_grade == selection.DISTRUSTED and rate < selection.DISTRUSTED_FLOOR:
        raise ApplicationError(_("Distrusted enterprises must be inspected in at least "
                                 "%(floor)d%% of their declarations.")
                               % {"floor": round(selection.DISTRUSTED_FLOOR * 100)},
                               field="rate")


@transaction.atomic
def sampling_rate_set(*, actor: User, hs_chapter: str, credit_grade: str, rate: float,
                      reason: str = "", expected_version: int | None = None,
                      version_required: bool = False) -> SamplingRate:
    """Set the target inspection rate for a chapter ("" = all) and grade, within the bounds.
    Changing an existing rate checks `expected_version` (required from the API)."""
    if actor is not None:
        selectors.require_risk_officer(actor)
    hs_chapter = _chapter_check(hs_chapter.strip())
    if credit_grade not in Enterprise.CreditGrade.values:
        raise ApplicationError(_("Unknown credit grade “%s”.") % credit_grade,
                               field="credit_grade")
    if not 0 <= rate <= 1:
        raise ApplicationError(_("rate: give a share between 0 and 1 (0.05 is 5%%), got "
                                 "%s.") % rate, field="rate")
    _credit_bounds(hs_chapter, credit_grade, rate)
    row = SamplingRate.objects.select_for_update().filter(
        hs_chapter=hs_chapter, credit_grade=credit_grade).first()
    before = {"rate": row.rate} if row else None
    if row is None:
        row = SamplingRate(hs_chapter=hs_chapter, credit_grade=credit_grade, rate=rate,
                           reason=reason[:200], updated_at=timezone.now())
        row.save(force_insert=True)
    else:
        require_version(row, expected_version, required=version_required)
        row.rate, row.reason, row.updated_at = rate, reason[:200], timezone.now()
        save_versioned(row, expected_version, ["rate", "reason", "updated_at"])
    audit_record(actor=actor, action="sampling_rate_set", entity=row, before=before,
                 after={"hs_chapter": hs_chapter, "credit_grade": credit_grade, "rate": rate},
                 reason=reason)
    return row


def _profile_saved(hs_prefix: str, category, expected_version: int | None,
                   version_required: bool) -> RiskProfile:
    profile = RiskProfile.objects.select_for_update().filter(hs_prefix=hs_prefix).first()
    if profile is None:
        return RiskProfile.objects.create(hs_prefix=hs_prefix, product_category=category)
    require_version(profile, expected_version, required=version_required)
    profile.product_category = category
    save_versioned(profile, expected_version, ["product_category"])
    return profile


@transaction.atomic
def risk_profile_set(*, actor: User, hs_prefix: str, test_item_codes: list[str],
                     product_category_code: str = "", expected_version: int | None = None,
                     version_required: bool = False) -> RiskProfile:
    """Say which test items goods under an HS prefix need when sampled for the lab.
    Changing an existing profile checks `expected_version` (required from the API)."""
    selectors.require_risk_officer(actor)
    try:
        rulebook.hs_prefix_check(hs_prefix.strip())
    except FieldProblem as problem:
        raise field_error(FieldProblem("hs_prefix", problem.template, **problem.params)) from None
    codes = list(dict.fromkeys(c.strip() for c in test_item_codes if c.strip()))
    items = {item.code: item for item in TestItem.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in items]
    if not codes or unknown:
        raise ApplicationError(_("test_items: unknown test item(s) %s.") % ", ".join(unknown)
                               if unknown else _("test_items: list at least one test item."),
                               field="test_items")
    category = None
    if product_category_code:
        category = ProductCategory.objects.filter(code=product_category_code).first()
        if category is None:
            raise ApplicationError(_("Unknown product category “%s”.") % product_category_code,
                                   field="product_category")
    profile = _profile_saved(hs_prefix.strip(), category, expected_version, version_required)
    profile.test_items.set(items[code] for code in codes)
    audit_record(actor=actor, action="risk_profile_set", entity=profile,
                 after={"hs_prefix": profile.hs_prefix, "test_items": codes})
    return profile
