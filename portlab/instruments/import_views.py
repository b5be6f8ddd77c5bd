"""Pages of result file imports: the files of an instrument, one file's rows (held rows
resolved, matched values confirmed by the analyst) and raw file downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.files.models import RawFile
from portlab.files.services import rawfile_read
from portlab.instruments import selectors, services
from portlab.instruments.models import ImportRow, ResultFile
from portlab.jobs.services import job_start

MAX_UPLOAD = 200 * 1024 * 1024
ROWS_SHOWN = 200


@login_required
def result_files(request: HttpRequest, asset_number: str) -> HttpResponse:
    instrument = selectors.instrument_get(request.user, asset_number)
    return render(request, "instruments/result_files.html", {
        "instrument": instrument,
        "files": instrument.result_files.order_by("-uploaded_at")[:50]})


@require_POST
@login_required
def result_file_upload(request: HttpRequest, asset_number: str) -> HttpResponse:
    """Store the file, then stage and publish it in the background; its job page follows."""
    instrument = selectors.instrument_get(request.user, asset_number)
    upload = request.FILES.get("file")
    if upload is None or upload.size > MAX_UPLOAD:
        messages.error(request, _("Choose a result file of at most 200 MB."))
        return redirect("result_files", asset_number=asset_number)
    try:
        result_file, duplicate = services.result_file_receive(
            actor=request.user, instrument=instrument, filename=upload.name or "",
            content=upload.read())
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("result_files", asset_number=asset_number)
    if duplicate:
        attempt(request, lambda: services.held_rows_retry(actor=request.user,
                                                          result_file=result_file),
                _("This file was imported before: its held rows were matched again."))
        return redirect("result_file_detail", file_id=result_file.pk)
    run = job_start(kind="result_import", actor=request.user,
                    params={"result_file": result_file.pk})
    return redirect("job_detail", job_id=run.pk)


@login_required
def result_file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    result_file = get_object_or_404(ResultFile.objects.select_related(
        "instrument__lab", "raw_file", "asm_file", "imported_by"), pk=file_id)
    rows = result_file.rows.select_related("test__sample", "test__analyst", "resolved_by")
    status = request.GET.get("status") or ImportRow.Status.HELD
    return render(request, "instruments/result_file.html", {
        "file": result_file, "counts": services.import_counts(result_file),
        "statuses": ImportRow.Status.choices, "status": status,
        "rows": rows.filter(status=status).order_by("position")[:ROWS_SHOWN],
        "mine": rows.filter(status=ImportRow.Status.MATCHED,
                            test__analyst=request.user).count()})


@require_POST
@login_required
def import_row_match(request: HttpRequest, row_id: int) -> HttpResponse:
    row = get_object_or_404(ImportRow.objects.select_related("result_file__instrument__lab"),
                            pk=row_id)
    post = request.POST
    attempt(request, lambda: services.import_row_match(
        actor=request.user, row=row, sample_code=post.get("sample", ""),
        analyte=post.get("analyte", ""), expected_version=optional_int(post.get("version"))),
        _("Line %d matched; the analyst confirms it.") % row.line)
    return redirect("result_file_detail", file_id=row.result_file_id)


@require_POST
@login_required
def import_row_reject(request: HttpRequest, row_id: int) -> HttpResponse:
    row = get_object_or_404(ImportRow.objects.select_related("result_file__instrument__lab"),
                            pk=row_id)
    post = request.POST
    attempt(request, lambda: services.import_row_reject(
        actor=request.user, row=row, reason=post.get("reason", ""),
        expected_version=optional_int(post.get("version"))),
        _("Line %d rejected.") % row.line)
    return redirect("result_file_detail", file_id=row.result_file_id)


@require_POST
@login_required
def import_rows_confirm(request: HttpRequest, file_id: int) -> HttpResponse:
    result_file = get_object_or_404(ResultFile.objects.select_related("instrument__lab"),
                                    pk=file_id)
    attempt(request, lambda: services.import_rows_confirm(
        actor=request.user, result_file=result_file), _("Your values are now your results."))
    return redirect("result_file_detail", file_id=file_id)


@login_required
def rawfile_download(request: HttpRequest, sha256: str) -> HttpResponse:
    """The stored bytes (checked against their hash); the route gate lets through only those
    who may see a result or an import of the file."""
    raw = get_object_or_404(RawFile, sha256=sha256)
    response = HttpResponse(rawfile_read(sha256=sha256),
                            content_type=raw.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, raw.name)
    return response
