"""Declarations in, decisions out: register, score, select a lane, and learn from the outcome."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import Enterprise, User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.versioning import require_version, save_versioned
from portlab.intake.models import Application
from portlab.risk import rules as rulebook
from portlab.risk import sampling, scoring, selection, selectors
from portlab.risk.declarations import CleanDeclaration, FieldProblem, declaration_clean
from portlab.risk.exchange_rates import RateTable
from portlab.risk.models import Declaration, RiskScore, Selection
from portlab.testing.models import DROPPED_TEST_STATUSES, Result

OFFICER_LABEL = "officer"  # Declaration.label_source of a label a risk officer set by hand


def selection_seed() -> str:
    """A fresh random seed per decision from the operating system (`secrets`), so nobody can
    predict which declarations the random share picks; it is stored with the Selection, so the
    draw can still be recomputed and checked. Tests fix PORTLAB_RISK_SEED."""
    fixed = getattr(settings, "PORTLAB_RISK_SEED", "")
    return str(fixed) if fixed else secrets.token_hex(16)


def field_error(problem: FieldProblem, line: int | None = None) -> ApplicationError:
    """The problem in the user's language, with the CSV line when there is one."""
    reason = _(problem.template) % problem.params
    if line is None:
        message = _("%(field)s: %(reason)s.") % {"field": problem.field, "reason": reason}
    else:
        message = _("Line %(line)d, %(field)s: %(reason)s; nothing was imported.") % {
            "line": line, "field": problem.field, "reason": reason}
    return ApplicationError(message, field=problem.field,
                            extra={"line": line} if line is not None else None)


def importer_lookup(code: str) -> Enterprise | None:
    field = "credit_code" if len(code) == 18 else "customs_code"
    return Enterprise.objects.filter(**{field: code}).first()


def declaration_build(clean: CleanDeclaration, importer: Enterprise | None,
                      rates: RateTable | None = None) -> Declaration:
    """The declaration to store, its value converted to yuan at the rate of its date."""
    grade = importer.credit_grade if importer else Enterprise.CreditGrade.GENERAL
    value_cny, rate = (rates or RateTable()).convert(clean.currency, clean.declared_on,
                                                     clean.value)
    return Declaration(
        number=clean.number, declared_on=clean.declared_on, office=clean.office,
        declarant=clean.declarant, importer=importer, importer_code=clean.importer_code,
        importer_name=clean.importer_name or (importer.name_zh if importer else ""),
        seller=clean.seller, hs_code=clean.hs_code, goods_description=clean.goods_description,
        origin_country=clean.origin_country, departure_country=clean.departure_country,
        transport_mode=clean.transport_mode, tax_type=clean.tax_type, tax_rate=clean.tax_rate,
        net_mass_kg=clean.net_mass_kg, value=clean.value, currency=clean.currency,
        value_cny=value_cny, exchange_rate=rate, credit_grade=grade, received_at=timezone.now(),
    )


@transaction.atomic
def declaration_submit(*, actor: User, data: Mapping[str, object]) -> Declaration:
    """Register a declaration and decide its lane in one transaction (the API's POST)."""
    selectors.require_risk_officer(actor)
    try:
        clean = declaration_clean(data)
    except FieldProblem as problem:
        raise field_error(problem) from problem
    if Declaration.objects.filter(number=clean.number).exists():
        raise ApplicationError(_("Declaration %s is already registered.") % clean.number,
                               field="number")
    declaration = declaration_build(clean, importer_lookup(clean.importer_code))
    declaration.save(force_insert=True)
    audit_record(actor=actor, action="declaration_register", entity=declaration,
                 after={"number": declaration.number, "hs_code": declaration.hs_code,
                        "credit_grade": declaration.credit_grade,
                        "value_cny": str(declaration.value_cny)})
    declaration_decide(actor=actor, declaration=declaration)
    return declaration


def _reasons(combined: rulebook.Combined, model_reasons: list[dict]) -> list[dict]:
    listed = [{"kind": "rule", "rule": rule.id, "weight": rule.weight, "text": rule.explanation}
              for rule in combined.matched]
    return listed + model_reasons


def declaration_score(declaration: Declaration) -> RiskScore:
    version, probability, model_reasons = scoring.model_probability(declaration)
    unit_value = scoring.value_in_yuan(declaration) / declaration.net_mass_kg
    facts = rulebook.Facts(hs_code=declaration.hs_code,
                           origin_country=declaration.origin_country,
                           importer_code=declaration.importer_code, unit_value=unit_value)
    combined = rulebook.score(probability, selectors.active_rules(), facts)
    return RiskScore.objects.create(
        declaration=declaration, model_version=version, model_probability=probability,
        rule_weight=combined.rule_weight, score=combined.score,
        reasons=_reasons(combined, model_reasons), scored_at=timezone.now(),
    )


@transaction.atomic
def declaration_decide(*, actor: User, declaration: Declaration) -> Selection:
    """Score the declaration, choose its lane, and file the lab application if sampled."""
    reference = selectors.reference_scores(declaration.credit_grade)
    risk = declaration_score(declaration)
    seed = selection_seed()
    decision = selection.decide(
        risk.score, selectors.target_rate(declaration.hs_chapter, declaration.credit_grade),
        selection.draw(seed, declaration.number), reference)
    profile = selectors.profile_for(declaration.hs_code) if decision.selected else None
    lane = selection.lane_for(decision.selected, profile is not None)
    application, note = None, ""
    if lane == selection.SAMPLE and profile is not None:  # lane_for sampled it for a profile
        try:
            application = sampling.application_for(declaration, profile)
        except sampling.NotRoutable as unroutable:
            lane, note = selection.PHYSICAL, str(unroutable)
    chosen = Selection.objects.create(
        declaration=declaration, lane=lane, basis=decision.basis, target_rate=decision.rate,
        exploration_rate=decision.exploration_rate, threshold=decision.threshold, seed=seed,
        draw=decision.draw, application=application, note=note, decided_at=timezone.now())
    audit_record(actor=actor, action="declaration_decide", entity=declaration,
                 after={"lane": lane, "basis": decision.basis, "score": round(risk.score, 6),
                        "draw": decision.draw,
                        "application": application.number if application else None})
    return chosen


def _label(declaration: Declaration, *, actor: User, nonconforming: bool, source: str,
           reason: str = "", expected_version: int | None = None) -> Declaration:
    require_version(declaration, expected_version)
    if declaration.nonconforming == nonconforming and declaration.label_source == source:
        return declaration
    before = {"nonconforming": declaration.nonconforming, "source": declaration.label_source}
    declaration.nonconforming, declaration.label_source = nonconforming, source
    declaration.labelled_at = timezone.now()
    save_versioned(declaration, expected_version,
                   ["nonconforming", "label_source", "labelled_at"])
    audit_record(actor=actor, action="declaration_label", entity=declaration, before=before,
                 after={"nonconforming": nonconforming, "source": source}, reason=reason)
    return declaration


@transaction.atomic
def declaration_label(*, actor: User, declaration: Declaration, nonconforming: bool,
                      reason: str, expected_version: int | None = None) -> Declaration:
    """Record a physical inspection's outcome (or correct a label), with the reason."""
    guard_declaration_label(actor=actor, obj=declaration)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the label (e.g. the inspection record)."),
                               field="reason")
    return _label(declaration, actor=actor, nonconforming=nonconforming, source=OFFICER_LABEL,
                  reason=reason.strip(), expected_version=expected_version)


@transaction.atomic
def declaration_link_application(*, actor: User, declaration: Declaration,
                                 application_number: str, reason: str,
                                 expected_version: int | None = None) -> Declaration:
    """A risk officer ties an application the engine did not file (the importer's own, after a
    physical inspection) to its declaration, so that the lab outcome labels it."""
    guard_declaration_label(actor=actor, obj=declaration)
    require_version(declaration, expected_version)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the link."), field="reason")
    application = Application.objects.filter(number=application_number.strip()).first()
    if application is None:
        raise ApplicationError(_("There is no application %s.") % application_number,
                               field="application")
    if application.declaration_number != declaration.number:
        raise ApplicationError(
            _("Application %(application)s does not name declaration %(declaration)s.")
            % {"application": application.number, "declaration": declaration.number},
            field="application")
    before = declaration.linked_application.number if declaration.linked_application else None
    declaration.linked_application = application
    save_versioned(declaration, expected_version, ["linked_application"])
    audit_record(actor=actor, action="declaration_link", entity=declaration,
                 before={"application": before}, after={"application": application.number},
                 reason=reason.strip())
    return declaration


def guard_declaration_label(*, actor, obj: Declaration) -> None:
    """Risk officers label a declaration with its inspection outcome."""
    selectors.require_risk_officer(actor)


@transaction.atomic
def declaration_label_from_application(application: Application,
                                       conforming: bool) -> Declaration | None:
    """Label the declaration the risk engine sampled this application for; None if it labels
    nothing. An enterprise types its own declaration number on an application, so the number
    alone must not feed the model: only the engine's Selection (with its basis) or a risk
    officer's link ties them."""
    tied = (Declaration.objects
            .filter(Q(selection__application=application, selection__basis__gt="")
                    | Q(linked_application=application)).values_list("pk", flat=True).first())
    if tied is None:
        return None
    # Locked by key: PostgreSQL refuses FOR UPDATE across the outer join to Selection.
    declaration = Declaration.objects.select_for_update().get(pk=tied)
    if declaration.label_source == OFFICER_LABEL:
        _record_officer_label_kept(declaration, application, conforming)
        return None
    return _label(declaration, actor=sampling.system_user(), nonconforming=not conforming,
                  source=application.number)


def _record_officer_label_kept(declaration: Declaration, application: Application,
                               conforming: bool) -> None:
    """An officer's label is evidence from an inspection; a lab report does not replace it
    silently, it leaves a trace the officer can act on."""
    audit_record(
        actor=sampling.system_user(), action="declaration_label_skip", entity=declaration,
        before={"nonconforming": declaration.nonconforming, "source": OFFICER_LABEL},
        after={"lab_nonconforming": not conforming, "application": application.number},
        reason=_("A risk officer labelled this declaration; the result of application %s was "
                 "not applied.") % application.number)


def risk_feedback_for_application(application: Application) -> Declaration | None:
    """Label the declaration from the application's results: any "fail" is nonconforming."""
    conformities = list(
        Result.objects.filter(test__sample__application=application)
        .exclude(test__status__in=DROPPED_TEST_STATUSES)
        .values_list("conformity", flat=True))
    if not conformities:
        raise ApplicationError(
            _("Application %s has no results yet, so its declaration cannot be labelled.")
            % application.number)
    conforming = Result.Conformity.FAIL not in conformities
    return declaration_label_from_application(application, conforming)
