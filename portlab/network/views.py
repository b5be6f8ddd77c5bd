from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.views import optional_int
from portlab.files.services import rawfile_store
from portlab.jobs.services import job_start
from portlab.network import selectors, services
from portlab.network.models import Lab

MAX_UPLOAD = 20 * 1024 * 1024


@login_required
def capability_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    lab_id = optional_int(request.GET.get("lab"))
    rows = selectors.capability_search(text=text, lab_id=lab_id)
    return render(request, "network/capability_list.html", {
        "capabilities": rows[:300], "count": rows.count(), "q": text, "lab_id": lab_id,
        "labs": Lab.objects.order_by("code"),
    })


@require_POST
@login_required
def catalog_import(request: HttpRequest) -> HttpResponse:
    """Store the file and import it in the background; the job's page follows it."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
    elif upload.size > MAX_UPLOAD:
        messages.error(request, _("The file is larger than 20 MB."))
    else:
        raw = rawfile_store(content=upload.read(), name=upload.name, actor=request.user,
                            content_type=upload.content_type or "")
        run = job_start(kind="catalog_import", actor=request.user,
                        params={"file": raw.sha256, "filename": upload.name})
        return redirect("job_detail", job_id=run.pk)
    return redirect("capability_list")


@login_required
def catalog_export(request: HttpRequest, file_format: str) -> HttpResponse:
    file_format = "xlsx" if file_format == "xlsx" else "csv"
    lab_id = optional_int(request.GET.get("lab"))
    content = services.catalog_export(lab_ids=[lab_id] if lab_id else None,
                                      file_format=file_format)
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    if file_format == "xlsx" else "text/csv; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="capabilities.{file_format}"'
    return response
