from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portlab.core import ratelimit
from portlab.intake.selectors import applications_visible_to
from portlab.network.models import Capability, District, Lab
from portlab.testing.progress import public_progress


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "districts": District.objects.count(), "labs": Lab.objects.count(),
        "capabilities": Capability.objects.count(),
        "accredited": Capability.objects.filter(accredited=True).count(),
    }
    if request.user.is_authenticated:
        context["recent"] = applications_visible_to(request.user).order_by("-id")[:8]
    return render(request, "portal/home.html", context)


def progress_lookup(request: HttpRequest) -> HttpResponse:
    """Public: application number + query code → statuses and dates, nothing else."""
    if request.method != "POST":
        return render(request, "portal/progress.html", {})
    verdict = ratelimit.hit(request, "progress")
    if verdict.limited:
        return ratelimit.too_many_requests(request, verdict.retry_after)
    number = request.POST.get("number", "")[:40]
    code = request.POST.get("query_code", "")[:40]
    found = public_progress(number, code)
    return render(request, "portal/progress.html",
                  {"number": number, "found": found, "not_found": found is None})
