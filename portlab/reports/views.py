from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portlab.accounts.access import passes
from portlab.accounts.signatures import credential_posted
from portlab.core.errors import ApplicationError, NotFound, PermissionDenied
from portlab.core.ratelimit import rate_limited
from portlab.core.views import attempt
from portlab.intake.selectors import application_get
from portlab.reports import (
    amendments,
    batch,
    correction_form,
    keystore,
    preview_images,
    selectors,
    services,
    verification,
)
from portlab.reports.desk import SORTS as DESK_SORTS
from portlab.reports.desk import read_desk_filter
from portlab.reports.desk_rows import enterprise_options, waiting_rows
from portlab.reports.models import Amendment, Report

UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file


def _verify_page(request: HttpRequest, verdict=None, error: str = "", status: int = 200):
    return render(request, "reports/verify.html", {
        "verdict": verdict, "error": error, "number": request.POST.get("number", ""),
        "limit_mb": verification.MAX_UPLOAD_BYTES // 1024 // 1024,
    }, status=status)


@require_http_methods(["GET", "POST"])
@rate_limited("verify")
def verify(request: HttpRequest) -> HttpResponse:
    """Public: verify by number + code (form), or by the QR payload (?p=...)."""
    try:
        if request.method == "POST":
            verdict = verification.verify_by_code(request.POST.get("number", ""),
                                                  request.POST.get("code", ""))
        elif request.GET.get("p"):
            verdict = verification.verify_by_payload(request.GET["p"])
        else:
            verdict = None
    except ApplicationError as error:
        return _verify_page(request, error=error.message, status=error.status_code)
    return _verify_page(request, verdict)


@require_GET
@rate_limited("verify")
def verify_link(request: HttpRequest, compact: str) -> HttpResponse:
    """Public: the link printed as the report's QR code (HTTPS://HOST/V/<Base32 payload>)."""
    try:
        verdict = verification.verify_by_payload(compact)
    except ApplicationError as error:
        return _verify_page(request, error=error.message, status=error.status_code)
    return _verify_page(request, verdict)


def _uploaded_bytes(request: HttpRequest) -> bytes:
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > verification.MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD:
        # Refuse on the declared length, before Django reads 50 MB off the socket.
        verification.check_upload(b"", size=declared)
    upload = request.FILES.get("file")
    if upload is None:
        raise ApplicationError(_("Choose the report PDF to upload."), field="file")
    verification.check_upload(b"%PDF-", size=upload.size)  # size first, content next
    return upload.read()


@require_POST
@rate_limited("verify")
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Public: verify an uploaded report PDF (10 MB at most)."""
    try:
        verdict = verification.verify_by_pdf(_uploaded_bytes(request))
    except ApplicationError as error:
        return _verify_page(request, error=error.message, status=error.status_code)
    return _verify_page(request, verdict)


@require_GET
@cache_control(public=True, max_age=300)
def trust_list(request: HttpRequest) -> HttpResponse:
    """Public: the signed list of every lab key, for offline verification."""
    try:
        text = keystore.trust_list_text()
    except Exception:  # noqa: BLE001 - no keys on this host: say so, never leak a traceback
        return HttpResponse(_("No trust list has been published yet."), status=503,
                            content_type="text/plain; charset=utf-8")
    return HttpResponse(text, content_type="application/json; charset=utf-8")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def report_pdf(request: HttpRequest, number: str, version: int) -> HttpResponse:
    report, pdf = selectors.report_pdf_get(request.user, number, version)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


DESK_PROBLEMS = {
    "lab": lambda text: _("Lab: “%s” is not a lab; the filter was not applied.") % text,
    "enterprise": lambda text: _("Applicant: “%s” is not an applicant; the filter was not "
                                 "applied.") % text,
    "approved_since": lambda text: _("Approved since: “%s” is not a date (YYYY-MM-DD); the "
                                     "filter was not applied.") % text,
}


def _desk_list(request: HttpRequest) -> dict:
    """The approved applications waiting for a report: filtered, sorted, 50 a page."""
    chosen = read_desk_filter(request.GET)
    for field, text in chosen.problems:
        messages.error(request, DESK_PROBLEMS[field](text))
    page = selectors.desk_page(request.user, chosen)
    labs, enterprises = selectors.desk_choices(request.user)
    return {
        "page": page, "to_report": page.object_list, "chosen": chosen, "labs": labs,
        "desk_rows": waiting_rows(page.object_list),
        "enterprise_options": enterprise_options(enterprises, chosen.enterprise),
        "enterprises": enterprises, "sort_links": {c: chosen.sorted_by(c) for c in DESK_SORTS},
        "previous_page": chosen.query(page=page.number - 1) if page.has_previous() else None,
        "next_page": chosen.query(page=page.number + 1) if page.has_next() else None,
    }


@login_required
def report_desk(request: HttpRequest) -> HttpResponse:
    """Reports the user may see, 50 a page; for signatories, the approved applications to
    report."""
    desk = _desk_list(request)
    chosen = desk["chosen"]
    reports_page = selectors.issued_reports_page(request.user, chosen.reports_page)
    reports = list(reports_page.object_list)
    return render(request, "reports/desk.html", {
        **desk,
        "reports": reports, "reports_page": reports_page,
        "previous_reports": chosen.query(reports_page=reports_page.number - 1)
        if reports_page.has_previous() else None,
        "next_reports": chosen.query(reports_page=reports_page.number + 1)
        if reports_page.has_next() else None,
        "amendable": {r.pk for r in reports if passes(services.guard_report_amend,
                                                      actor=request.user, obj=r)},
        "being_corrected": set(Amendment.objects.filter(
            report__in=reports, status=Amendment.Status.OPEN).values_list("report_id",
                                                                          flat=True)),
        "can_sign": selectors.signatory_filter(request.user) is not None,
        "languages": Report.Language.choices,
    })


def _language(request: HttpRequest) -> str:
    return request.POST.get("language") or request.GET.get("language") or "zh-hans"


def _preview(request: HttpRequest, number: str):
    """(application, preview) of the report issuing would print now, or the answer that sends
    the person back to the desk with the reason it cannot be previewed."""
    application = application_get(request.user, number)
    try:
        return application, services.report_preview(actor=request.user, application=application,
                                                    language=_language(request))
    except (PermissionDenied, NotFound):
        raise  # 403 / 404 pages, from the middleware
    except ApplicationError as error:
        messages.error(request, error.message)
        return application, redirect("report_desk")


@require_GET
@login_required
def report_preview(request: HttpRequest, number: str) -> HttpResponse:
    """The report as issuing would print it now, watermarked, with the form to sign it."""
    application, preview = _preview(request, number)
    if isinstance(preview, HttpResponse):
        return preview
    return render(request, "reports/preview.html", {
        "application": application, "preview": preview, "language": _language(request),
        "pages": preview_images.page_images(preview.pdf),
    })


@require_GET
@login_required
def report_preview_pdf(request: HttpRequest, number: str) -> HttpResponse:
    _application, preview = _preview(request, number)
    if isinstance(preview, HttpResponse):
        return preview
    response = HttpResponse(preview.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}-preview.pdf"'
    return response


@require_POST
@login_required
def report_issue(request: HttpRequest, number: str) -> HttpResponse:
    """Sign and issue exactly the content previewed (its digest is posted with the form)."""
    application = application_get(request.user, number)
    digest = request.POST.get("preview_digest", "")
    if not digest:
        messages.error(request, _("Open the preview and check the report before signing it."))
        return redirect(f"{reverse('report_preview', args=[number])}?language="
                        f"{_language(request)}")
    issued = attempt(request, lambda: services.report_issue(
        actor=request.user, application=application, credential=credential_posted(request),
        language=_language(request), preview_digest=digest), _("Report issued and signed."))
    if not issued:
        return redirect(f"{reverse('report_preview', args=[number])}?language="
                        f"{_language(request)}")
    return redirect("application_detail", number)


@require_POST
@login_required
def report_issue_batch(request: HttpRequest) -> HttpResponse:
    """Issue the ticked applications' reports as a job, under one signature given now."""
    try:
        run = batch.report_batch_start(actor=request.user,
                                       numbers=request.POST.getlist("application"),
                                       language=_language(request),
                                       credential=credential_posted(request))
    except (PermissionDenied, NotFound, ApplicationError) as error:
        messages.error(request, error.message)
        return redirect("report_desk")
    return redirect("job_detail", job_id=run.pk)


@require_http_methods(["GET", "POST"])
@login_required
def report_amend(request: HttpRequest, number: str, version: int) -> HttpResponse:
    """Correct an issued report: choose the results to reopen and the data to correct."""
    report = selectors.report_get(request.user, number, version)
    form = correction_form.CorrectionForm(report, request.POST or None)
    if request.method == "POST":
        try:
            amendments.amendment_open(actor=request.user, report=report,
                                      reason=request.POST.get("reason", ""),
                                      test_ids=form.test_ids(), corrections=form.corrections())
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as error:
            return render(request, "reports/amend.html", {
                "report": report, "form": form, "error": error.message}, status=422)
        messages.success(request, _("The correction is open: the reopened results go back to "
                                    "their analysts; issue the corrected version once they "
                                    "are approved again."))
        return redirect("application_detail", report.application.number)
    try:
        amendments.guard_amendment_open(actor=request.user, obj=report)
    except (PermissionDenied, NotFound):
        raise  # 403 / 404 pages, from the middleware
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("report_desk")
    return render(request, "reports/amend.html", {"report": report, "form": form})


@require_POST
@login_required
def report_revoke(request: HttpRequest, number: str, version: int) -> HttpResponse:
    report = selectors.report_get(request.user, number, version)
    attempt(request, lambda: services.report_revoke(
        actor=request.user, report=report, reason=request.POST.get("reason", "")),
        _("Report revoked."))
    return redirect("report_desk")
