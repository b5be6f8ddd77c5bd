"""Reads for risk analysis: rates, profiles, rules, reference scores and the officer's board."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from portlab.accounts import access
from portlab.accounts.models import Enterprise
from portlab.core.errors import NotFound
from portlab.risk import rules as rulebook
from portlab.risk import selection
from portlab.risk.models import (
    Declaration,
    ModelVersion,
    RiskProfile,
    RiskRule,
    RiskScore,
    SamplingRate,
    Selection,
)

REFERENCE_SIZE = 2000


def is_risk_officer(user) -> bool:
    return access.may(user, "risk.manage")


def require_risk_officer(user) -> None:
    access.require(user, "risk.manage")


def target_rate(hs_chapter: str, credit_grade: str) -> float:
    """The configured rate for the chapter (else for every chapter, else the default),
    within the credit bounds."""
    rows = {
        (row.hs_chapter, row.credit_grade): row.rate
        for row in SamplingRate.objects.filter(
            hs_chapter__in=[hs_chapter, ""], credit_grade__in=[credit_grade, selection.GENERAL]
        )
    }

    def configured(grade: str) -> float:
        return rows.get((hs_chapter, grade), rows.get(("", grade), selection.DEFAULT_RATES[grade]))

    return selection.effective_rate(credit_grade, configured(credit_grade),
                                    configured(selection.GENERAL))


def reference_scores(credit_grade: str) -> list[float]:
    """Recent scores of the same credit grade, else of all grades when those are too few."""
    recent = RiskScore.objects.order_by("-id").values_list("score", flat=True)
    same = list(recent.filter(declaration__credit_grade=credit_grade)[:REFERENCE_SIZE])
    if len(same) >= selection.MIN_REFERENCE_SCORES:
        return same
    return list(recent[:REFERENCE_SIZE])


def profile_for(hs_code: str) -> RiskProfile | None:
    """The risk profile with the longest HS prefix that the code starts with."""
    prefixes = [hs_code[:length] for length in range(2, len(hs_code) + 1)]
    found = list(RiskProfile.objects.filter(hs_prefix__in=prefixes))
    return max(found, key=lambda profile: len(profile.hs_prefix), default=None)


def active_rules() -> list[rulebook.Rule]:
    return [rule_value(row) for row in RiskRule.objects.filter(active=True).order_by("id")]


def rule_value(row: RiskRule) -> rulebook.Rule:
    return rulebook.Rule(
        id=row.id, explanation=row.explanation, weight=row.weight,
        hs_prefixes=tuple(row.hs_prefixes), countries=tuple(row.countries),
        importers=tuple(row.importers), unit_value_min=row.unit_value_min,
        unit_value_max=row.unit_value_max,
    )


def declaration_get(user, number: str) -> Declaration:
    require_risk_officer(user)
    found = (Declaration.objects.select_related("importer", "risk_score__model_version",
                                                "selection__application")
             .filter(number=number).first())
    if found is None:
        raise NotFound(f"Declaration {number} not found.")
    return found


def declarations_recent(limit: int = 50) -> QuerySet[Declaration]:
    return (Declaration.objects.select_related("risk_score", "selection")
            .filter(selection__isnull=False).order_by("-id")[:limit])


def lane_counts() -> dict[str, int]:
    counts = dict(Selection.objects.values_list("lane").annotate(n=Count("id")))
    return {lane: counts.get(lane, 0) for lane in Selection.Lane.values}


SELECTED = ~Q(selection__lane=Selection.Lane.RELEASE)


def rates_by_category(limit: int = 20) -> list[dict]:
    """Per HS chapter and credit grade: declarations, share selected, and the target rate."""
    rows = (Declaration.objects.filter(selection__isnull=False)
            .annotate(chapter=Substr("hs_code", 1, 2)).values("chapter", "credit_grade")
            .annotate(total=Count("id"), selected=Count("id", filter=SELECTED),
                      sampled=Count("id", filter=Q(selection__lane=Selection.Lane.SAMPLE)))
            .order_by("-total", "chapter", "credit_grade")[:limit])
    grades = list(Enterprise.CreditGrade.values)
    ordered = sorted(rows, key=lambda row: (row["chapter"], grades.index(row["credit_grade"])))
    return [dict(row, share=row["selected"] / row["total"],
                 target=target_rate(row["chapter"], row["credit_grade"])) for row in ordered]


def hit_rates() -> list[dict]:
    """Labelled selected declarations per selection basis: how often inspection found a fault."""
    rows = (Declaration.objects.filter(SELECTED, selection__isnull=False,
                                       nonconforming__isnull=False)
            .values("selection__basis")
            .annotate(labelled=Count("id"), hits=Count("id", filter=Q(nonconforming=True)))
            .order_by("selection__basis"))
    return [{"basis": row["selection__basis"], "labelled": row["labelled"],
             "hits": row["hits"], "rate": row["hits"] / row["labelled"]} for row in rows]


def model_versions() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.order_by("trained_at", "id")
