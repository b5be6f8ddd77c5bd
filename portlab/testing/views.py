from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.access import lab_scope, may
from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.intake import selectors as intake_selectors
from portlab.intake.services import OPEN_STATUSES
from portlab.testing import reception
from portlab.testing.models import Test
from portlab.testing.progress import application_progress, audit_trail

# The application page shows each sample with its tests, and reception creates tests: pages
# above intake, served under its URLs (config/urls.py).

@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = intake_selectors.application_get(request.user, number)
    samples = list(application.samples.order_by("number").prefetch_related(
        "tests__test_item", "tests__result", "tests__analyst"))
    network, labs, districts = lab_scope(request.user)
    context = {"application": application, "samples": samples,
               "progress": application_progress(application),
               "lab_side": network or bool(labs or districts),
               "may_prioritize": application.status in OPEN_STATUSES and may(
                   request.user, "application.prioritize", lab=application.lab),
               "priorities": application.Priority.choices}
    if context["lab_side"]:  # the raw audit trail names lab staff: not for enterprises
        context["events"] = audit_trail(application)
    return render(request, "testing/application_detail.html", context)


def _note_standing(request: HttpRequest, sample_ids: list[int]) -> None:
    """Tell the clerk how many of the new tests went straight to their standing analyst."""
    count = Test.objects.filter(sample_id__in=sample_ids, status=Test.Status.ASSIGNED).count()
    if count:
        messages.info(request, _("%d test(s) given to their standing analyst on receipt.")
                      % count)


@require_POST
@login_required
def sample_receive(request: HttpRequest, number: str) -> HttpResponse:
    sample = intake_selectors.sample_get(request.user, number)
    if attempt(request, lambda: reception.sample_receive(
        actor=request.user, sample=sample, barcode=request.POST.get("barcode", ""),
        condition=request.POST.get("condition", "intact"),
        condition_note=request.POST.get("condition_note", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s received; its tests are created.") % number):
        _note_standing(request, [sample.pk])
    return redirect("reception")


@require_POST
@login_required
def sample_reject(request: HttpRequest, number: str) -> HttpResponse:
    sample = intake_selectors.sample_get(request.user, number)
    attempt(request, lambda: reception.sample_reject(
        actor=request.user, sample=sample, reason=request.POST.get("reason", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s rejected.") % number)
    return redirect("reception")


@require_POST
@login_required
def reception_scan(request: HttpRequest) -> HttpResponse:
    """A label scanned at reception (keyboard-wedge scanner: the code, then Enter) receives
    that sample; the page comes back with the field focused for the next one."""
    code = request.POST.get("scan", "")
    try:
        sample = intake_selectors.sample_by_label(request.user, code)
        if sample.status != "submitted":
            raise ApplicationError(_("Sample %(number)s was already received (%(status)s).")
                                   % {"number": sample.number,
                                      "status": sample.get_status_display()}, field="scan")
        reception.sample_receive(actor=request.user, sample=sample,
                                 condition=request.POST.get("condition", "intact"),
                                 expected_version=sample.version)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sample %s received; its tests are created.")
                         % sample.number)
        _note_standing(request, [sample.pk])
    return redirect("reception")


@require_POST
@login_required
def application_receive_all(request: HttpRequest, number: str) -> HttpResponse:
    """Receive every sample of an application still waiting; any refused one is listed."""
    application = intake_selectors.application_get(request.user, number)
    waiting = list(application.samples.filter(status="submitted").order_by("number"))
    received, refused = reception.samples_receive_all(actor=request.user, samples=waiting)
    if received:
        messages.success(request, _("%(count)d sample(s) of %(number)s received.")
                         % {"count": len(received), "number": number})
        _note_standing(request, [sample.pk for sample in received])
    for item in refused:
        messages.error(request, _("%(sample)s not received: %(reason)s")
                       % {"sample": item.sample, "reason": item.reason})
    return redirect("reception")
