"""Filing an application (自助报验): the guided form with its quote, and the receipt.

These pages live in the portal because the quote reads the labs' queues (testing), which the
intake app below it may not.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from portlab.core.errors import ApplicationError
from portlab.intake import guided_form, selectors, services
from portlab.intake.models import Application, Status
from portlab.network.models import TestItem
from portlab.portal.quote import Quote, application_quote


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
