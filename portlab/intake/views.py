from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.permissions import lab_scope
from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.intake import guided_form, selectors, services
from portlab.intake.labels import label_sheets
from portlab.intake.models import Application, Status
from portlab.intake.progress import application_progress, audit_trail
from portlab.intake.quote import Quote, application_quote
from portlab.network.models import TestItem


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.applications_visible_to(request.user).order_by("-id")
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(request, "intake/application_list.html",
                  {"applications": rows[:200], "status": status,
                   "statuses": Application._meta.get_field("status").choices})


def _quote_for(application: Application) -> Quote:
    return application_quote(
        lab=application.lab,
        test_item_ids=list(application.items.order_by("id").values_list("test_item_id",
                                                                         flat=True)),
        sample_count=application.samples.exclude(status=Status.CANCELLED).count(),
        requires_accreditation=application.requires_accreditation,
        today=timezone.localdate(application.submitted_at))


def _preview_or_register(request: HttpRequest, context: dict) -> HttpResponse:
    draft = guided_form.draft_from_post(request.user, request.POST)
    context.update(post=request.POST, samples=draft.samples, chosen=draft.test_item_ids)
    if draft.lab is not None:  # without JavaScript, offer the chosen lab's items only
        context["test_items"] = TestItem.objects.filter(
            Q(capabilities__lab=draft.lab) | Q(pk__in=draft.test_item_ids)
        ).distinct().order_by("code")
    try:
        arguments = draft.register_arguments()
        if request.POST.get("action") == "submit":
            application = services.application_register(actor=request.user, **arguments)
            return redirect("application_receipt", number=application.number)
        services.application_check(actor=request.user, **arguments)
    except ApplicationError as error:
        context["error"] = error
        return render(request, "intake/application_form.html", context, status=400)
    context["quote"] = application_quote(
        lab=draft.lab, test_item_ids=draft.test_item_ids, sample_count=len(draft.samples),
        requires_accreditation=draft.requires_accreditation, today=timezone.localdate())
    return render(request, "intake/application_form.html", context)


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """The guided form. "Check price and date" re-shows it with the summary (that is the path
    without JavaScript); "Submit" files the application and shows the receipt."""
    context = guided_form.form_choices(request.user)
    if request.method == "POST":
        return _preview_or_register(request, context)
    return render(request, "intake/application_form.html", context)


@login_required
def application_receipt(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    return render(request, "intake/application_receipt.html", {
        "application": application, "quote": _quote_for(application),
        "samples": application.samples.order_by("number")})


@login_required
def application_labels(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    samples = application.samples.exclude(status=Status.CANCELLED).order_by("number")
    return render(request, "intake/sample_labels.html", {
        "application": application, "sheets": label_sheets(application, samples)})


@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    samples = list(application.samples.order_by("number").prefetch_related(
        "tests__test_item", "tests__result", "tests__analyst"))
    network, labs, districts = lab_scope(request.user)
    context = {"application": application, "samples": samples,
               "progress": application_progress(application),
               "lab_side": network or bool(labs or districts)}
    if context["lab_side"]:  # the raw audit trail names lab staff: not for enterprises
        context["events"] = audit_trail(application)
    return render(request, "intake/application_detail.html", context)


@require_POST
@login_required
def application_cancel(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    attempt(request, lambda: services.application_cancel(
        actor=request.user, application=application, reason=request.POST.get("reason", ""),
        expected_version=optional_int(request.POST.get("version"))), _("Application cancelled."))
    return redirect("application_detail", number=number)


@login_required
def reception(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/reception.html",
                  {"samples": selectors.samples_awaiting_reception(request.user)[:200]})


@require_POST
@login_required
def sample_receive(request: HttpRequest, number: str) -> HttpResponse:
    sample = selectors.sample_get(request.user, number)
    attempt(request, lambda: services.sample_receive(
        actor=request.user, sample=sample, barcode=request.POST.get("barcode", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s received; its tests are created.") % number)
    return redirect("reception")


@require_POST
@login_required
def sample_reject(request: HttpRequest, number: str) -> HttpResponse:
    sample = selectors.sample_get(request.user, number)
    attempt(request, lambda: services.sample_reject(
        actor=request.user, sample=sample, reason=request.POST.get("reason", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s rejected.") % number)
    return redirect("reception")
