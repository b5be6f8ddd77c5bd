from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError
from portlab.core.views import optional_int
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
        "labs": Lab.objects.order_by("code"), "errors": request.session.pop("import_errors", []),
    })


@require_POST
@login_required
def catalog_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
    elif upload.size > MAX_UPLOAD:
        messages.error(request, _("The file is larger than 20 MB."))
    else:
        try:
            summary = services.catalog_import(actor=request.user, content=upload.read(),
                                              filename=upload.name)
        except services.CatalogImportError as error:
            messages.error(request, error.message)
            request.session["import_errors"] = error.errors[: services.MAX_LISTED_ERRORS]
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Imported %(rows)d rows: %(created)d new, %(updated)d "
                                        "updated.") % vars(summary))
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
