"""The risk officer's pages: the board and one declaration's decision."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.models import Enterprise
from portlab.audit.labels import with_labels
from portlab.audit.selectors import audit_events_for
from portlab.core import charts
from portlab.core.views import attempt, optional_int
from portlab.risk import configuration, selectors, services
from portlab.risk.models import RiskProfile, RiskRule, SamplingRate, Selection
from portlab.risk.reasons import reasons_shown
from portlab.risk.templatetags.risk_format import percent

CHART_METRICS = ("precision@5%", "recall@5%", "roc_auc")


def _lane_chart() -> str:
    counts = selectors.lane_counts()
    total = sum(counts.values()) or 1
    bars = [charts.Bar(str(Selection.Lane(lane).label), counts[lane],
                       colour=charts.PALETTE[index % len(charts.PALETTE)],
                       text=f"{counts[lane]} · {percent(counts[lane] / total)}")
            for index, lane in enumerate(Selection.Lane.values)]
    return charts.row_chart(bars, _("Declarations by lane"), width=520, row=34, label_width=210,
                            text_width=110, font_size=14, maximum=max(counts.values()) or 1)


def _model_chart(versions: list) -> str:
    labels = [f"{n}. {timezone.localtime(v.trained_at):%m-%d %H:%M}"
              for n, v in enumerate(versions, start=1)]
    names = {"precision@5%": _("Precision at 5%"), "recall@5%": _("Recall at 5%"),
             "roc_auc": "ROC AUC"}
    series = {names[name]: [v.holdout_metrics.get(name) for v in versions]
              for name in CHART_METRICS}
    return charts.line_chart(labels, series, _("Hold-out metrics by model version"), width=1100)


def _plain_number(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _hit_rows() -> list[dict]:
    rows = selectors.hit_rates()
    for row in rows:
        row["label"] = Selection.Basis(row["basis"]).label
    return rows


@login_required
def board(request: HttpRequest) -> HttpResponse:
    selectors.require_risk_officer(request.user)
    versions = list(selectors.model_versions())
    grades = dict(Enterprise.CreditGrade.choices)
    categories = selectors.rates_by_category()
    for row in categories:
        row["grade_label"] = grades.get(row["credit_grade"], row["credit_grade"])
    return render(request, "risk/board.html", {
        "lane_chart": mark_safe(_lane_chart()),  # noqa: S308 - built and escaped by charts
        "lanes": selectors.lane_counts(),
        "categories": categories,
        "hits": _hit_rows(),
        "versions": versions[::-1],
        "model_chart": mark_safe(_model_chart(versions)) if versions else "",
        "rules": RiskRule.objects.order_by("-active", "id"),
        "rates": SamplingRate.objects.order_by("hs_chapter", "credit_grade"),
        "profiles": RiskProfile.objects.prefetch_related("test_items").order_by("hs_prefix"),
        "declarations": selectors.declarations_recent(15),
        "grades": grades,
    })


@login_required
def declaration_detail(request: HttpRequest, number: str) -> HttpResponse:
    declaration = selectors.declaration_get(request.user, number)
    risk = getattr(declaration, "risk_score", None)
    in_yuan = declaration.value_cny
    return render(request, "risk/declaration_detail.html", {
        "declaration": declaration,
        "risk": risk,
        "reasons": reasons_shown(risk.reasons) if risk else [],
        "chosen": getattr(declaration, "selection", None),
        "unit_value": (in_yuan / declaration.net_mass_kg) if in_yuan is not None else None,
        "net_mass": _plain_number(declaration.net_mass_kg),
        "events": _trail(declaration),
        "link_typed": request.session.pop("declaration_link_typed", {}),
    })


def _trail(declaration) -> list:
    """The declaration's events with the names of their action and of the lane chosen."""
    return with_labels(audit_events_for("declaration", [declaration.pk]),
                       lane=dict(Selection.Lane.choices))


@require_POST
@login_required
def rule_create(request: HttpRequest) -> HttpResponse:
    post = request.POST
    attempt(request, lambda: configuration.risk_rule_create(
        actor=request.user, explanation=post.get("explanation", ""),
        weight=post.get("weight", ""), hs_prefixes=post.get("hs_prefixes", ""),
        countries=post.get("countries", ""), importers=post.get("importers", ""),
        unit_value_min=post.get("unit_value_min"), unit_value_max=post.get("unit_value_max"),
    ), _("Rule added."))
    return redirect("risk_board")


@require_POST
@login_required
def declaration_link(request: HttpRequest, number: str) -> HttpResponse:
    """A risk officer ties the importer's own application to this declaration, with a reason."""
    declaration = selectors.declaration_get(request.user, number)
    post = request.POST
    linked = attempt(request, lambda: services.declaration_link_application(
        actor=request.user, declaration=declaration,
        application_number=post.get("application", ""), reason=post.get("reason", ""),
        expected_version=optional_int(post.get("version"))),
        _("Application linked: its lab outcome will label this declaration."))
    if not linked:  # shown again in the form, nothing stored
        request.session["declaration_link_typed"] = {
            "application": post.get("application", ""), "reason": post.get("reason", "")}
    return redirect("risk_declaration", number=declaration.number)
