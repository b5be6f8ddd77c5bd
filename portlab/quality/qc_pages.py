"""Internal QC pages: one form per lab and test item with a row per control level."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError, NotFound
from portlab.core.views import attempt, optional_int
from portlab.quality import selectors, services
from portlab.quality.models import ControlMaterial


def _groups(user) -> list[dict]:
    """Active control materials grouped by lab and test item: one run form each."""
    groups: dict[tuple[int, int], dict] = {}
    for material in selectors.control_materials_visible_to(user).filter(active=True)[:200]:
        group = groups.setdefault((material.lab_id, material.test_item_id), {
            "key": f"{material.lab_id}-{material.test_item_id}", "lab": material.lab,
            "item": material.test_item, "materials": []})
        group["materials"].append(material)
    for group in groups.values():
        group["tests"] = selectors.qc_open_tests(group["lab"].pk, group["item"].pk, 30)
    return list(groups.values())


def _render(request: HttpRequest, status: int = 200, error: ApplicationError | None = None,
            posted_key: str = "") -> HttpResponse:
    runs = selectors.qc_runs_visible_to(request.user).prefetch_related(
        "results__material", "actions", "links")[:50]
    groups = _groups(request.user)
    for group in groups:  # the form that failed shows what was typed
        mine = error is not None and group["key"] == posted_key
        group["posted"] = request.POST if mine else None
        group["posted_tests"] = ([int(t) for t in request.POST.getlist("tests") if t.isdigit()]
                                 if mine else [])
    return render(request, "quality/qc.html", {
        "groups": groups, "runs": runs, "today": timezone.localdate(), "error": error},
        status=status)


@login_required
def qc_page(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _group_materials(request: HttpRequest) -> list[ControlMaterial]:
    materials = list(selectors.control_materials_visible_to(request.user).filter(
        active=True, lab_id=optional_int(request.POST.get("lab")) or 0,
        test_item_id=optional_int(request.POST.get("test_item")) or 0))
    if not materials:
        raise NotFound("No control materials for this lab and test item.")
    return materials


@require_POST
@login_required
def qc_run_record(request: HttpRequest) -> HttpResponse:
    materials = _group_materials(request)
    post = request.POST
    values = {m.code: post[f"value_{m.pk}"] for m in materials
              if post.get(f"value_{m.pk}", "").strip()}
    try:
        run = services.qc_run_record(
            actor=request.user, lab=materials[0].lab, test_item=materials[0].test_item,
            run_code=post.get("run_code", ""), date=post.get("date", ""), values=values,
            test_ids=[int(t) for t in post.getlist("tests") if t.isdigit()],
            cover_run_date=post.get("cover_run_date") == "on")
    except ApplicationError as error:
        key = f"{materials[0].lab_id}-{materials[0].test_item_id}"
        return _render(request, 422, error, key)
    messages.success(request, _("QC run %(run)s recorded: %(status)s.")
                     % {"run": run.run_code, "status": run.get_status_display()})
    return redirect("quality_qc")


@require_POST
@login_required
def qc_run_action(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.qc_run_get(request.user, run_id)
    post = request.POST
    owner = selectors.lab_people(run.lab).filter(pk=optional_int(post.get("owner"))).first()
    attempt(request, lambda: services.corrective_action_open(
        actor=request.user, subject=run, title=post.get("title", ""),
        owner=owner or request.user, due_date=post.get("due_date", ""),
        root_cause=post.get("root_cause", "")), _("Corrective action recorded."))
    return redirect("quality_qc")
