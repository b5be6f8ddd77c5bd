from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts import access
from portlab.core.errors import ApplicationError
from portlab.core.replica import reads_from_replica
from portlab.core.views import attempt, optional_int
from portlab.network import agreements, selectors, services
from portlab.network.lookups import party_by_code, test_items_by_code
from portlab.network.models import District, Lab, RecognitionAgreement
from portlab.network.search import MAX_ROWS, NetworkSearch, network_capability_search
from portlab.network.tasks import catalog_import_start

ACCREDITED = {"yes": True, "no": False}


@login_required
@reads_from_replica
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
        return redirect("capability_list")
    try:
        run = catalog_import_start(actor=request.user, content=upload.read(),
                                   filename=upload.name or "",
                                   content_type=upload.content_type or "")
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("capability_list")
    return redirect("job_detail", job_id=run.pk)


@login_required
@reads_from_replica
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


@login_required
@reads_from_replica
def network_search(request: HttpRequest) -> HttpResponse:
    get = request.GET
    query = NetworkSearch(get.get("item", "").strip(), get.get("standard", "").strip(),
                          ACCREDITED.get(get.get("accredited", "")),
                          optional_int(get.get("district")))
    rows = network_capability_search(query)
    return render(request, "network/network_search.html", {
        "query": query, "accredited": get.get("accredited", ""), "rows": rows[:MAX_ROWS],
        "count": rows.count(), "districts": District.objects.order_by("code")})


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        _agreement_create(request)
        return redirect("agreement_list")
    rows = (RecognitionAgreement.objects.select_related(
        "accepting_lab", "accepting_district", "performing_lab", "performing_district")
        .prefetch_related("test_items").order_by("-valid_to", "code"))
    return render(request, "network/agreements.html", {
        "agreements": rows, "scopes": RecognitionAgreement.Scope.choices,
        "may_create": access.may(request.user, "agreement.create")})


def _agreement_create(request: HttpRequest) -> None:
    post = request.POST

    def create():
        try:
            valid_from = date.fromisoformat(post.get("valid_from", ""))
        except ValueError as error:
            raise ApplicationError(_("Give valid_from as a date."), field="valid_from") from error
        try:
            valid_to = date.fromisoformat(post.get("valid_to", ""))
        except ValueError as error:
            raise ApplicationError(_("Give valid_to as a date."), field="valid_to") from error
        codes = [c.strip() for c in post.get("test_items", "").replace("，", ",").split(",")
                 if c.strip()]
        return agreements.agreement_create(
            actor=request.user, code=post.get("code", ""),
            accepting=party_by_code(post.get("accepting", ""), "accepting"),
            performing=party_by_code(post.get("performing", ""), "performing"),
            scope=post.get("scope", ""), test_items=test_items_by_code(codes),
            valid_from=valid_from, valid_to=valid_to,
            document_reference=post.get("document_reference", ""))

    attempt(request, create, _("Agreement recorded."))
