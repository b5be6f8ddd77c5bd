"""Quality pages: the records behind the quality board. Thin: selectors and services."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core import charts
from portlab.core.views import attempt, optional_int
from portlab.files.services import rawfile_read
from portlab.jobs.services import job_get, job_start
from portlab.quality import selectors, services


@require_POST
@login_required
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(request.user, alert_id)
    attempt(request, lambda: services.alert_resolve(actor=request.user, alert=alert,
                                                    note=request.POST.get("note", "")),
            _("Alert resolved."))
    return redirect(request.POST.get("next") or "quality_board")


@login_required
def material_detail(request: HttpRequest, material_id: int) -> HttpResponse:
    material = selectors.control_material_get(request.user, material_id)
    history = selectors.material_history(material)
    points = [charts.ChartPoint(r.run.date.strftime("%m-%d"), r.value, r.status,
                             f"{r.run.run_code} {r.run.date}: {r.value:g} "
                             f"(z = {r.z:+.2f}) {' '.join(r.rules)}") for r in history]
    chart = charts.levey_jennings(points, material.target_mean, material.target_sd,
                               _("Levey–Jennings chart of %s") % material.code,
                               unit=material.test_item.unit)
    return render(request, "quality/material.html", {
        "material": material, "history": list(reversed(history)), "chart": chart})


@login_required
def pt_list(request: HttpRequest) -> HttpResponse:
    labs = selectors.visible_labs(request.user)
    history = {lab: list(selectors.pt_history(lab)[:10]) for lab in labs.order_by("code")[:10]}
    return render(request, "quality/pt_list.html", {
        "rounds": selectors.pt_rounds_visible_to(request.user)[:100],
        "history": {lab: rows for lab, rows in history.items() if rows}})


@login_required
def pt_round(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.pt_round_get(request.user, round_id)
    return render(request, "quality/pt_round.html", {
        "round": round_, "rows": selectors.pt_round_rows(request.user, round_)})


@require_POST
@login_required
def pt_submit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = selectors.pt_round_get(request.user, round_id)
    rows = [row for row in selectors.pt_round_rows(request.user, round_) if row["mine"]]
    chosen = next((r for r in rows if str(r["participant"].pk) == request.POST.get("participant")),
                  rows[0] if rows else None)
    if chosen is not None:
        post = request.POST
        attempt(request, lambda: services.pt_result_submit(
            actor=request.user, participant=chosen["participant"], value=post.get("value", ""),
            u=post.get("u", ""), expanded_u=post.get("expanded_u", ""),
            expected_version=optional_int(post.get("version"))),
            _("PT result submitted."))
    return redirect("quality_pt_round", round_id)


@require_POST
@login_required
def pt_round_step(request: HttpRequest, round_id: int, step: str) -> HttpResponse:
    if step not in ("close", "score"):
        raise Http404(step)
    round_ = selectors.pt_round_get(request.user, round_id)
    service = services.pt_round_score if step == "score" else services.pt_round_close
    attempt(request, lambda: service(actor=request.user, round_=round_),
            _("Round scored.") if step == "score" else _("Round closed."))
    return redirect("quality_pt_round", round_id)


@require_POST
@login_required
def pt_report_start(request: HttpRequest, round_id: int) -> HttpResponse:
    """Make the round report as a job; its page offers the PDF once it is ready."""
    round_ = selectors.pt_round_get(request.user, round_id)
    if round_.status != round_.Status.SCORED:
        messages.error(request, _("Round %s has no report before it is scored.") % round_.code)
        return redirect("quality_pt_round", round_id)
    run = job_start(kind="pt_round_report", params={"round": round_.pk}, actor=request.user)
    return redirect("job_detail", job_id=run.pk)


@login_required
def pt_report_file(request: HttpRequest, job_id: str) -> HttpResponse:
    """The PDF a round report job made: for who started it, while they may see the round."""
    run = job_get(job_id=job_id, actor=request.user)
    if run.kind != "pt_round_report" or run.state != run.State.SUCCEEDED:
        raise Http404(job_id)
    selectors.pt_round_get(request.user, run.params["round"])
    response = HttpResponse(rawfile_read(sha256=run.outcome["file"]),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{run.outcome["filename"]}"'
    return response
