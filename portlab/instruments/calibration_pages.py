"""An instrument's calibrations and intermediate checks: the record, with its certificate kept in
the file store, and the form that adds one."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError, NotFound
from portlab.files.models import RawFile
from portlab.files.services import rawfile_read
from portlab.instruments import selectors, services
from portlab.instruments.models import Calibration, Instrument


def _render(request: HttpRequest, instrument: Instrument, status: int = 200,
            error: ApplicationError | None = None, form: str = "") -> HttpResponse:
    return render(request, "instruments/calibrations.html", {
        "instrument": instrument, "today": timezone.localdate(),
        "calibrations": instrument.calibrations.select_related("certificate", "recorded_by")
        .order_by("-date", "-id"),
        "checks": instrument.checks.select_related("certificate", "recorded_by")
        .order_by("-date", "-id"),
        "outcomes": Calibration.Outcome.choices, "error": error,
        "kept": request.POST if error else {}, "kept_form": form}, status=status)


@login_required
def calibrations(request: HttpRequest, asset_number: str) -> HttpResponse:
    return _render(request, selectors.instrument_get(request.user, asset_number))


def _date(raw: str, field: str, label: str, *, optional: bool = False) -> dt.date | None:
    text = (raw or "").strip()
    if not text and optional:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(_("%(field)s: “%(text)s” is not a date (YYYY-MM-DD).")
                               % {"field": label, "text": text}, field=field) from None


def _record_calibration(request: HttpRequest, instrument: Instrument) -> None:
    post, upload = request.POST, request.FILES.get("certificate")
    services.calibration_record(
        actor=request.user, instrument=instrument,
        date=_date(post.get("date", ""), "date", _("Calibration date")),
        due_date=_date(post.get("due_date", ""), "due_date", _("Next calibration due"),
                       optional=True),
        certificate_number=post.get("certificate_number", ""),
        provider=post.get("provider", ""), result=post.get("result", ""),
        certificate_content=upload.read() if upload else None,
        certificate_name=upload.name if upload else "")


@require_POST
@login_required
def calibration_record(request: HttpRequest, asset_number: str) -> HttpResponse:
    instrument = selectors.instrument_get(request.user, asset_number)
    try:
        _record_calibration(request, instrument)
    except ApplicationError as error:
        return _render(request, instrument, 422, error, "calibration")
    messages.success(request, _("Calibration recorded."))
    return redirect("instrument_calibrations", asset_number)


@require_POST
@login_required
def check_record(request: HttpRequest, asset_number: str) -> HttpResponse:
    instrument = selectors.instrument_get(request.user, asset_number)
    post, upload = request.POST, request.FILES.get("certificate")
    try:
        services.check_record(actor=request.user, instrument=instrument,
                              date=_date(post.get("date", ""), "date", _("Check date")),
                              result=post.get("result", ""), note=post.get("note", ""),
                              certificate_content=upload.read() if upload else None,
                              certificate_name=upload.name if upload else "")
    except ApplicationError as error:
        return _render(request, instrument, 422, error, "check")
    messages.success(request, _("Intermediate check recorded."))
    return redirect("instrument_calibrations", asset_number)


@login_required
def certificate(request: HttpRequest, asset_number: str, calibration_id: int) -> HttpResponse:
    instrument = selectors.instrument_get(request.user, asset_number)
    row = instrument.calibrations.select_related("certificate").filter(
        pk=calibration_id, certificate__isnull=False).first()
    if row is None:
        raise NotFound(f"Calibration certificate {calibration_id} not found.")
    return _inline(row.certificate, row.certificate_number)


@login_required
def check_certificate(request: HttpRequest, asset_number: str, check_id: int) -> HttpResponse:
    instrument = selectors.instrument_get(request.user, asset_number)
    row = instrument.checks.select_related("certificate").filter(
        pk=check_id, certificate__isnull=False).first()
    if row is None:
        raise NotFound(f"Intermediate check certificate {check_id} not found.")
    return _inline(row.certificate, f"check-{row.date.isoformat()}")


def _inline(stored: RawFile, filename: str) -> HttpResponse:
    response = HttpResponse(rawfile_read(sha256=stored.sha256), content_type=stored.content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
