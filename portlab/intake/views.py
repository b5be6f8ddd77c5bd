from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.views import attempt, optional_int
from portlab.intake import selectors, services
from portlab.intake.labels import label_sheets
from portlab.intake.models import Application, Condition, Status


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


@require_POST
@login_required
def application_priority(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    attempt(request, lambda: services.application_set_priority(
        actor=request.user, application=application,
        priority=request.POST.get("priority", ""),
        expected_version=optional_int(request.POST.get("version"))), _("Priority set."))
    return redirect("application_detail", number=number)


@login_required
def reception(request: HttpRequest) -> HttpResponse:
    """Samples waiting at reception, by application, with a scan field and a search."""
    text = request.GET.get("q", "")
    filed_from, filed_to, error = _date_range(request.GET.get("from", ""),
                                              request.GET.get("to", ""))
    samples = list(selectors.samples_awaiting_reception(
        request.user, text, filed_from=filed_from, filed_to=filed_to)[:200])
    groups: dict[str, list] = {}
    for sample in samples:
        groups.setdefault(sample.application.number, []).append(sample)
    return render(request, "intake/reception.html", {
        "groups": [(rows[0].application, rows) for rows in groups.values()], "q": text,
        "count": len(samples), "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""), "date_error": error,
        "conditions": Condition.choices})


def _date_range(first: str, last: str) -> tuple[date | None, date | None, str]:
    """The filing days searched (either end may be open); an unreadable date is named."""
    days: list[date | None] = []
    for text, label in ((first, _("From")), (last, _("To"))):
        try:
            days.append(date.fromisoformat(text.strip()) if text.strip() else None)
        except ValueError:
            return None, None, _("%(field)s: “%(text)s” is not a date (YYYY-MM-DD).") % {
                "field": label, "text": text}
    if days[0] and days[1] and days[0] > days[1]:
        return None, None, _("The search ends before it starts: %(first)s is after "
                             "%(last)s.") % {"first": first, "last": last}
    return days[0], days[1], ""
