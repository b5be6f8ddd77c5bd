"""Nonconformities, complaints, corrective actions and internal audits: list with filters,
open, edit and close, each through its audited service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError, NotFound
from portlab.core.views import optional_int
from portlab.quality import selectors, services
from portlab.quality.models import Nonconformity


def _render(request: HttpRequest, kind: str, status: int = 200,
            error: ApplicationError | None = None, form: str = "",
            form_id: int | None = None) -> HttpResponse:
    labs = selectors.visible_labs(request.user)
    rows = selectors.tracked_filtered(request.user, kind, request.GET, timezone.localdate())
    return render(request, "quality/records.html", {
        "kind": kind, "records": rows[:300], "today": timezone.localdate(), "labs": labs,
        "people": selectors.people_of_labs(labs), "sources": Nonconformity.Source.choices,
        "subjects": selectors.action_subjects(request.user) if kind == "action" else [],
        "filters": request.GET, "error": error, "kept": request.POST if error else {},
        "kept_form": form, "kept_id": form_id}, status=status)


@login_required
def records(request: HttpRequest, kind: str) -> HttpResponse:
    return _render(request, kind)


def _done(request: HttpRequest, kind: str, action, success: str, form: str,
          form_id: int | None = None) -> HttpResponse:
    try:
        action()
    except ApplicationError as error:
        return _render(request, kind, 422, error, form, form_id)
    messages.success(request, success)
    return redirect("quality_records", kind)


def _owner(request: HttpRequest, post: QueryDict):
    labs = selectors.visible_labs(request.user)
    return selectors.people_of_labs(labs).filter(pk=optional_int(post.get("owner"))).first()


def _lab(request: HttpRequest, post: QueryDict):
    lab = selectors.visible_labs(request.user).filter(pk=optional_int(post.get("lab"))).first()
    if lab is None:
        raise ApplicationError(_("Choose the lab."), field="lab")
    return lab


def _create(request: HttpRequest, kind: str) -> object:
    post, actor = request.POST, request.user
    common = {"actor": actor, "title": post.get("title", ""), "owner": _owner(request, post),
              "due_date": post.get("due_date", ""), "description": post.get("description", "")}
    if kind == "action":
        return services.corrective_action_open(
            subject=selectors.action_subject_get(actor, post.get("subject", "")),
            root_cause=post.get("root_cause", ""), **common)
    lab = _lab(request, post)
    if kind == "nonconformity":
        return services.nonconformity_raise(lab=lab, source=post.get("source", "other"),
                                            **common)
    if kind == "complaint":
        return services.complaint_receive(lab=lab, complainant=post.get("complainant", ""),
                                          received_on=post.get("received_on", ""), **common)
    return services.internal_audit_plan(lab=lab, scope=post.get("scope", ""), **common)


@require_POST
@login_required
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in selectors.TRACKED:
        raise NotFound(f"Unknown record kind {kind}.")
    return _done(request, kind, lambda: _create(request, kind), _("Recorded."), "create")


@require_POST
@login_required
def record_edit(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    record = selectors.tracked_get(request.user, kind, record_id)
    post = request.POST
    return _done(request, kind, lambda: services.record_update(
        actor=request.user, record=record, title=post.get("title", ""),
        owner=_owner(request, post), due_date=post.get("due_date", ""),
        description=post.get("description", ""),
        expected_version=optional_int(post.get("version"))), _("Saved."), "edit", record.pk)


@require_POST
@login_required
def record_close(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    record = selectors.tracked_get(request.user, kind, record_id)
    return _done(request, kind, lambda: services.record_close(
        actor=request.user, record=record, evidence=request.POST.get("evidence", ""),
        expected_version=optional_int(request.POST.get("version"))), _("Closed."), "close",
        record.pk)
