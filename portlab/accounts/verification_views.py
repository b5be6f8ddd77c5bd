"""The licence-check queue: a credit officer or administrator checks a registered enterprise's
business licence and verifies it (audited, once)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts import access, verification
from portlab.core.errors import ApplicationError


@login_required
def enterprise_queue(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "enterprise.verify")
    return render(request, "accounts/enterprise_verification.html", {
        "waiting": verification.enterprises_to_verify(),
        "verified": verification.enterprises_verified_recently(),
    })


@require_POST
@login_required
def enterprise_verify(request: HttpRequest, credit_code: str) -> HttpResponse:
    enterprise = verification.enterprise_get(credit_code)
    try:
        if request.POST.get("checked") != "yes":
            raise ApplicationError(
                _("%(name)s: tick “I checked the business licence” before verifying.")
                % {"name": enterprise.name}, field="checked")
        verification.enterprise_verify(actor=request.user, enterprise=enterprise,
                                       note=request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("enterprise_verification")
    messages.success(request, _("%(name)s is verified.") % {"name": enterprise.name})
    return redirect("enterprise_verification")
