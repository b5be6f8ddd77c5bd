"""Risk analysis API: declarations in, decisions out; rules, rates and profiles for officers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from portlab.risk import configuration, selectors, services, training
from portlab.risk.models import Declaration, RiskRule
from portlab.risk.reasons import reasons_shown

router = Router()
Number = str | int | float | Decimal


class DeclarationIn(Schema):
    number: str = Field("", description="Declaration number (报关单号), 18 digits")
    declared_on: str = Field("", description="YYYY-MM-DD")
    office: str = Field("", description="Customs office code (关区代码), 4 digits")
    declarant: str = ""
    importer_code: str = Field("", description="Unified social credit code or customs code")
    importer_name: str = ""
    seller: str = ""
    hs_code: str = Field("", description="10-digit commodity code")
    goods_description: str = ""
    origin_country: str = Field("", description="ISO 3166 alpha-2")
    departure_country: str = Field("", description="ISO 3166 alpha-2")
    transport_mode: str = Field("", description="sea, rail, road, air, mail or other")
    tax_type: str = ""
    tax_rate: Number = 0
    net_mass_kg: Number = Field("", description="Net mass in kg, > 0")
    value: Number = ""
    currency: str = Field("", description="ISO 4217, e.g. CNY, USD")


class ReasonOut(Schema):
    kind: str
    text: str
    weight: float | None


class DecisionOut(Schema):
    """A declaration with its score and lane; those stay null until it is decided (a declaration
    imported from a CSV file waits for its decision)."""

    number: str
    declared_on: date
    hs_code: str
    credit_grade: str
    value: Decimal
    currency: str
    value_cny: Decimal | None = Field(None, description="the value in yuan at the customs rate "
                                      "of the declaration's month; null if never converted")
    exchange_rate: Decimal | None = None
    score: float | None = None
    model_probability: float | None = None
    model_version: str | None = None
    rule_weight: float | None = None
    reasons: list[ReasonOut] = []
    lane: str | None = None
    basis: str | None = None
    target_rate: float | None = None
    draw: float | None = None
    threshold: float | None = None
    application: str | None = None
    note: str = ""
    nonconforming: bool | None
    version: int


class LabelIn(Schema):
    nonconforming: bool
    reason: str
    version: int


class LinkIn(Schema):
    application: str
    reason: str
    version: int


class RuleIn(Schema):
    explanation: str
    weight: Number
    hs_prefixes: list[str] = []
    countries: list[str] = []
    importers: list[str] = []
    unit_value_min: Number | None = None
    unit_value_max: Number | None = None


class RuleOut(Schema):
    id: int
    explanation: str
    weight: float
    hs_prefixes: list[str]
    countries: list[str]
    importers: list[str]
    unit_value_min: Decimal | None
    unit_value_max: Decimal | None
    active: bool
    version: int


class RetireIn(Schema):
    reason: str
    version: int


class RateIn(Schema):
    hs_chapter: str = ""
    credit_grade: str
    rate: float
    reason: str = ""
    version: int | None = None  # required when the rate exists already


class RateOut(Schema):
    hs_chapter: str
    credit_grade: str
    rate: float
    version: int


class ProfileIn(Schema):
    hs_prefix: str
    test_items: list[str]
    product_category: str = ""
    version: int | None = None  # required when the profile exists already


class ProfileOut(Schema):
    hs_prefix: str
    test_items: list[str]
    version: int


class ModelOut(Schema):
    version: str
    trained_at: datetime
    trained_rows: int
    positives: int
    holdout_metrics: dict
    active: bool


def decision_out(declaration: Declaration) -> DecisionOut:
    # A missing one-to-one row raises an AttributeError subclass, so getattr's default applies.
    risk = getattr(declaration, "risk_score", None)
    chosen = getattr(declaration, "selection", None)
    scored = {} if risk is None else {
        "score": risk.score, "model_probability": risk.model_probability,
        "model_version": risk.model_version.version if risk.model_version else None,
        "rule_weight": risk.rule_weight,
        "reasons": [ReasonOut(**r) for r in reasons_shown(risk.reasons)]}
    decided = {} if chosen is None else {
        "lane": chosen.lane, "basis": chosen.basis, "target_rate": chosen.target_rate,
        "draw": chosen.draw, "threshold": chosen.threshold, "note": chosen.note,
        "application": chosen.application.number if chosen.application else None}
    return DecisionOut(number=declaration.number, declared_on=declaration.declared_on,
                       hs_code=declaration.hs_code, credit_grade=declaration.credit_grade,
                       value=declaration.value, currency=declaration.currency,
                       value_cny=declaration.value_cny,
                       exchange_rate=declaration.exchange_rate,
                       nonconforming=declaration.nonconforming,
                       version=declaration.version, **scored, **decided)


@router.post("/declarations", response={201: DecisionOut})
def declaration_submit(request: HttpRequest, payload: DeclarationIn):
    declaration = services.declaration_submit(actor=request.user, data=payload.dict())
    return Status(201, decision_out(declaration))


@router.get("/declarations/{number}", response=DecisionOut)
def declaration_detail(request: HttpRequest, number: str):
    return decision_out(selectors.declaration_get(request.user, number))


@router.post("/declarations/{number}/label", response=DecisionOut)
def declaration_label(request: HttpRequest, number: str, payload: LabelIn):
    declaration = selectors.declaration_get(request.user, number)
    services.declaration_label(actor=request.user, declaration=declaration,
                               nonconforming=payload.nonconforming, reason=payload.reason,
                               expected_version=payload.version)
    return decision_out(declaration)


@router.post("/declarations/{number}/link", response=DecisionOut)
def declaration_link(request: HttpRequest, number: str, payload: LinkIn):
    declaration = selectors.declaration_get(request.user, number)
    services.declaration_link_application(actor=request.user, declaration=declaration,
                                          application_number=payload.application,
                                          reason=payload.reason,
                                          expected_version=payload.version)
    return decision_out(declaration)


@router.get("/risk/rules", response=list[RuleOut])
def rules(request: HttpRequest):
    selectors.require_risk_officer(request.user)
    return list(RiskRule.objects.order_by("id"))


@router.post("/risk/rules", response={201: RuleOut})
def rule_create(request: HttpRequest, payload: RuleIn):
    return Status(201, configuration.risk_rule_create(actor=request.user, **payload.dict()))


@router.post("/risk/rules/{rule_id}/retire", response=RuleOut)
def rule_retire(request: HttpRequest, rule_id: int, payload: RetireIn):
    return configuration.risk_rule_deactivate(actor=request.user, rule_id=rule_id,
                                              reason=payload.reason,
                                              expected_version=payload.version)


@router.put("/risk/rates", response=RateOut)
def rate_set(request: HttpRequest, payload: RateIn):
    data = payload.dict()
    version = data.pop("version")
    return configuration.sampling_rate_set(actor=request.user, **data, expected_version=version,
                                           version_required=True)


@router.put("/risk/profiles", response=ProfileOut)
def profile_set(request: HttpRequest, payload: ProfileIn):
    profile = configuration.risk_profile_set(
        actor=request.user, hs_prefix=payload.hs_prefix, test_item_codes=payload.test_items,
        product_category_code=payload.product_category, expected_version=payload.version,
        version_required=True)
    return ProfileOut(hs_prefix=profile.hs_prefix, version=profile.version,
                      test_items=list(profile.test_items.order_by("code")
                                      .values_list("code", flat=True)))


@router.get("/risk/models", response=list[ModelOut])
def model_versions(request: HttpRequest):
    selectors.require_risk_officer(request.user)
    return list(selectors.model_versions())


@router.post("/risk/rates/adapt", response=list[dict])
def rates_adapt(request: HttpRequest):
    selectors.require_risk_officer(request.user)
    return training.sampling_rates_adapt(actor=request.user)
