"""The customs exchange-rate table on screen: read, add one month's rate, or load a CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError
from portlab.risk import exchange_rates
from portlab.risk.models import ExchangeRate


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    exchange_rates.guard_exchange_rate_define(actor=request.user)
    return render(request, "risk/exchange_rates.html", {
        "rates": ExchangeRate.objects.order_by("-valid_from", "currency")[:500],
        "typed": request.session.pop("exchange_rate_typed", {}),
    })


@require_POST
@login_required
def rate_set(request: HttpRequest) -> HttpResponse:
    post = request.POST
    typed = {name: post.get(name, "") for name in ("currency", "valid_from", "rate", "source")}
    try:
        outcome = exchange_rates.exchange_rate_set(
            actor=request.user, currency_code=typed["currency"],
            valid_from=typed["valid_from"], rate=typed["rate"], source=typed["source"])
    except ApplicationError as error:
        messages.error(request, error.message)
        request.session["exchange_rate_typed"] = typed  # shown again, nothing stored
        return redirect("risk_exchange_rates")
    messages.success(request, _("Rate saved.") if outcome != "unchanged"
                     else _("That rate was already recorded."))
    return redirect("risk_exchange_rates")


@require_POST
@login_required
def rate_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Choose a CSV file to upload."), field="file")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise ApplicationError(_("The file is not UTF-8 text."), field="file") from error
        counts = exchange_rates.exchange_rates_import(actor=request.user, text=text)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("risk_exchange_rates")
    messages.success(request, _("%(created)d rates added, %(changed)d changed, %(unchanged)d "
                                "already recorded.") % counts)
    return redirect("risk_exchange_rates")
