"""Pages of the network acting as one: search, workload, cross-district work, agreements,
routing a batch and transfers. Thin: each calls one service or selector."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts import access
from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.network import agreements, routing_service, transfers, workload
from portlab.network.lookups import (
    party_by_code,
    test_items_by_code,
    transfer_get,
    visible_lab_ids,
    visible_transfers,
)
from portlab.network.models import District, Lab, RecognitionAgreement
from portlab.network.search import MAX_ROWS, NetworkSearch, network_capability_search

ACCREDITED = {"yes": True, "no": False}


@login_required
def network_search(request: HttpRequest) -> HttpResponse:
    get = request.GET
    query = NetworkSearch(get.get("item", "").strip(), get.get("standard", "").strip(),
                          ACCREDITED.get(get.get("accredited", "")),
                          optional_int(get.get("district")))
    rows = network_capability_search(query)
    return render(request, "network/network_search.html", {
        "query": query, "accredited": get.get("accredited", ""), "rows": rows[:MAX_ROWS],
        "count": rows.count(), "districts": District.objects.order_by("code")})


@login_required
def network_workload(request: HttpRequest) -> HttpResponse:
    district_id = optional_int(request.GET.get("district"))
    rows = workload.lab_workload(district_id=district_id, lab_ids=visible_lab_ids(request.user))
    return render(request, "network/workload.html", {
        "rows": rows, "district_id": district_id, "districts": District.objects.order_by("code"),
        "statuses": [("pending", _("Waiting for assignment")), ("assigned", _("Assigned")),
                     ("resulted", _("Result submitted")), ("reviewed", _("Reviewed"))]})


def _optional_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def cross_district(request: HttpRequest) -> HttpResponse:
    visible_lab_ids(request.user)
    period = "quarter" if request.GET.get("period") == "quarter" else "month"
    start, end = _optional_date(request.GET.get("start")), _optional_date(request.GET.get("end"))
    rows = workload.cross_district_work(period=period, start=start, end=end)
    batches, items = workload.cross_district_totals(start=start, end=end)
    return render(request, "network/cross_district.html", {
        "rows": rows, "period": period, "start": start, "end": end, "batches": batches,
        "items": items})


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        _agreement_create(request)
        return redirect("agreement_list")
    rows = (RecognitionAgreement.objects.select_related(
        "accepting_lab", "accepting_district", "performing_lab", "performing_district")
        .prefetch_related("test_items").order_by("-valid_to", "code"))
    return render(request, "network/agreements.html", {
        "agreements": rows, "scopes": RecognitionAgreement.Scope.choices,
        "may_create": access.may(request.user, "agreement.create")})


def _agreement_create(request: HttpRequest) -> None:
    post = request.POST

    def create():
        try:
            valid_from = date.fromisoformat(post.get("valid_from", ""))
        except ValueError as error:
            raise ApplicationError(_("Give valid_from as a date."), field="valid_from") from error
        try:
            valid_to = date.fromisoformat(post.get("valid_to", ""))
        except ValueError as error:
            raise ApplicationError(_("Give valid_to as a date."), field="valid_to") from error
        codes = [c.strip() for c in post.get("test_items", "").replace("，", ",").split(",")
                 if c.strip()]
        return agreements.agreement_create(
            actor=request.user, code=post.get("code", ""),
            accepting=party_by_code(post.get("accepting", ""), "accepting"),
            performing=party_by_code(post.get("performing", ""), "performing"),
            scope=post.get("scope", ""), test_items=test_items_by_code(codes),
            valid_from=valid_from, valid_to=valid_to,
            document_reference=post.get("document_reference", ""))

    attempt(request, create, _("Agreement recorded."))


def _managed_lab(request: HttpRequest) -> Lab | None:
    network, labs, _districts = access.labs_where(request.user, "routing.plan")
    rows = Lab.objects.order_by("code")
    if not network:
        rows = rows.filter(id__in=labs)
    chosen = optional_int(request.GET.get("lab") or request.POST.get("lab"))
    for lab in rows.filter(id=chosen) if chosen else rows:
        if access.may(request.user, "routing.plan", lab=lab):
            return lab
    return None


@login_required
def routing_page(request: HttpRequest) -> HttpResponse:
    lab = _managed_lab(request)
    context: dict = {"lab": lab}
    if lab is not None:
        try:
            context["routed"] = routing_service.route_batch(actor=request.user, lab=lab)
        except ApplicationError as error:
            context["error"] = error.message
    return render(request, "network/routing.html", context)


@require_POST
@login_required
def routing_apply(request: HttpRequest) -> HttpResponse:
    lab = _managed_lab(request)
    choices = []
    for value in request.POST.getlist("transfer"):
        test_id, _sep, lab_id = value.partition(":")
        if test_id.isdigit() and lab_id.isdigit():
            choices.append((int(test_id), int(lab_id)))
    if lab is not None:
        attempt(request, lambda: routing_service.routing_apply(
            actor=request.user, lab=lab, choices=choices,
            sample_portion=request.POST.get("sample_portion", "")),
            _("%d transfer(s) dispatched.") % len(choices))
    return redirect("transfer_list")


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    rows = visible_transfers(request.user).prefetch_related("custody__actor")[:300]
    return render(request, "network/transfers.html", {
        "transfers": rows, "receiving": _labs_where(request.user, "transfer.receive"),
        "sending": _labs_where(request.user, "transfer.send")})


def _labs_where(user, action: str) -> set[int]:
    """Labs where the user may do `action`, for offering only the steps they may take."""
    return {lab.id for lab in Lab.objects.all() if access.may(user, action, lab=lab)}


STEPS = {
    "in_transit": (lambda r, t, p: transfers.transfer_in_transit(
        actor=r.user, transfer=t, place=p.get("place", ""), note=p.get("note", ""),
        expected_version=optional_int(p.get("version")))),
    "receive": (lambda r, t, p: transfers.transfer_receive(
        actor=r.user, transfer=t, note=p.get("note", ""),
        expected_version=optional_int(p.get("version")))),
    "reject": (lambda r, t, p: transfers.transfer_reject(
        actor=r.user, transfer=t, reason=p.get("reason", ""),
        expected_version=optional_int(p.get("version")))),
}


@require_POST
@login_required
def transfer_step(request: HttpRequest, transfer_id: int, step: str) -> HttpResponse:
    transfer = transfer_get(request.user, transfer_id)
    action = STEPS.get(step)
    if action is not None:
        attempt(request, lambda: action(request, transfer, request.POST), _("Transfer updated."))
    return redirect("transfer_list")
