from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.views import attempt, optional_int
from portlab.intake import selectors, services
from portlab.intake.labels import label_sheets
from portlab.intake.models import Application, Status


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.applications_visible_to(request.user).order_by("-id")
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(request, "intake/application_list.html",
                  {"applications": rows[:200], "status": status,
                   "statuses": Application._meta.get_field("status").choices})


@login_required
def application_labels(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    samples = application.samples.exclude(status=Status.CANCELLED).order_by("number")
    return render(request, "intake/sample_labels.html", {
        "application": application, "sheets": label_sheets(application, samples)})


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
    """Samples waiting at reception, by application, with a scan field and a search."""
    text = request.GET.get("q", "")
    samples = list(selectors.samples_awaiting_reception(request.user, text)[:200])
    groups: dict[str, list] = {}
    for sample in samples:
        groups.setdefault(sample.application.number, []).append(sample)
    return render(request, "intake/reception.html", {
        "groups": [(rows[0].application, rows) for rows in groups.values()], "q": text,
        "count": len(samples)})
