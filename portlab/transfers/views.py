"""Pages of cross-lab work: workload, cross-district work, routing a batch and transfers.
Thin: each calls one service or selector."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts import access
from portlab.core.errors import ApplicationError, NotFound, PermissionDenied
from portlab.core.views import attempt, optional_int
from portlab.jobs.models import JobRun
from portlab.jobs.services import job_get
from portlab.network.lookups import visible_lab_ids
from portlab.network.models import District, Lab
from portlab.transfers import routing_service, services, workload
from portlab.transfers.selectors import transfer_get, visible_transfers
from portlab.transfers.tasks import routing_batch_start, routing_proposal


@login_required
def network_workload(request: HttpRequest) -> HttpResponse:
    district_id = optional_int(request.GET.get("district"))
    rows = workload.lab_workload(district_id=district_id, lab_ids=visible_lab_ids(request.user))
    return render(request, "transfers/workload.html", {
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
    return render(request, "transfers/cross_district.html", {
        "rows": rows, "period": period, "start": start, "end": end, "batches": batches,
        "items": items})


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
    """The lab's waiting tests and the button that routes them as a job; with `?job=`, that
    job's proposal to tick and dispatch."""
    lab = _managed_lab(request)
    context: dict = {"lab": lab}
    if lab is not None:
        context["waiting"] = len(routing_service.waiting_tests(lab))
        context["last"] = JobRun.objects.filter(
            kind="routing_batch", started_by_id=request.user.pk, params__lab=lab.pk,
            state=JobRun.State.SUCCEEDED).first()
        try:
            context["routed"] = _routed(request, lab)
        except ApplicationError as error:
            context["error"] = error.message
    return render(request, "transfers/routing.html", context)


def _routed(request: HttpRequest, lab: Lab) -> routing_service.BatchRouting | None:
    """The proposal of the routing job named in the query (made in the background)."""
    if not request.GET.get("job"):
        return None
    run = job_get(job_id=request.GET["job"], actor=request.user)
    if run.kind != "routing_batch" or run.state != run.State.SUCCEEDED \
            or run.params.get("lab") != lab.pk:
        raise NotFound(_("No such routing job."))
    return routing_proposal(run, lab)


@require_POST
@login_required
def routing_job(request: HttpRequest) -> HttpResponse:
    """Route the lab's waiting tests in the background; the job's page links back here."""
    lab = _managed_lab(request)
    if lab is None:
        raise PermissionDenied(_("Only a lab manager routes the tests waiting in their lab."))
    run = routing_batch_start(actor=request.user, lab=lab)
    return redirect("job_detail", job_id=run.pk)


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
    return render(request, "transfers/transfers.html", {
        "transfers": rows, "receiving": _labs_where(request.user, "transfer.receive"),
        "sending": _labs_where(request.user, "transfer.send")})


def _labs_where(user, action: str) -> set[int]:
    """Labs where the user may do `action`, for offering only the steps they may take."""
    return {lab.id for lab in Lab.objects.all() if access.may(user, action, lab=lab)}


STEPS = {
    "in_transit": (lambda r, t, p: services.transfer_in_transit(
        actor=r.user, transfer=t, place=p.get("place", ""), note=p.get("note", ""),
        expected_version=optional_int(p.get("version")))),
    "receive": (lambda r, t, p: services.transfer_receive(
        actor=r.user, transfer=t, note=p.get("note", ""),
        expected_version=optional_int(p.get("version")))),
    "reject": (lambda r, t, p: services.transfer_reject(
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
