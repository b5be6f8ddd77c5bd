"""Entering a result by hand, with the instrument it was measured on (page and API).

It lives here, above testing, because naming an instrument applies the instruments' gate
(calibration, status) that file imports apply too (`services.result_enter_manual`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.views import attempt, optional_int
from portlab.instruments.selectors import instrument_get
from portlab.instruments.services import result_enter_manual
from portlab.testing import selectors
from portlab.testing.results import ResultInput


@require_POST
@login_required
def result_enter(request: HttpRequest, test_id: int) -> HttpResponse:
    test = selectors.test_get(request.user, test_id)
    post = request.POST
    data = ResultInput(kind=post.get("kind", "numeric"), value=post.get("value", ""),
                       unit=post.get("unit", ""), uncertainty=post.get("uncertainty", ""),
                       text=post.get("text", ""),
                       coverage_factor=post.get("coverage_factor", ""))
    asset = post.get("instrument", "").strip()
    instrument = instrument_get(request.user, asset) if asset else None
    attempt(request, lambda: result_enter_manual(
        actor=request.user, test=test, data=data, instrument=instrument,
        reason=post.get("reason", ""), expected_version=optional_int(post.get("version"))),
        _("Result submitted."))
    return redirect("my_tests")
