from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portlab.intake.selectors import applications_visible_to
from portlab.network.models import Capability, District, Lab


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "districts": District.objects.count(), "labs": Lab.objects.count(),
        "capabilities": Capability.objects.count(),
        "accredited": Capability.objects.filter(accredited=True).count(),
    }
    if request.user.is_authenticated:
        context["recent"] = applications_visible_to(request.user).order_by("-id")[:8]
    return render(request, "portal/home.html", context)
