from datetime import date
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from portlab.core.api_params import page_limit
from portlab.jobs.api import JobOut, job_out
from portlab.network import agreements, selectors, services
from portlab.network.lookups import district_by_code, party_by_code, test_items_by_code
from portlab.network.models import Lab
from portlab.network.search import MAX_ROWS, NetworkSearch, network_capability_search
from portlab.network.tasks import catalog_import_start

router = Router()


class LabOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    cnas_number: str
    cma_number: str
    city: str
    district: str
    workday_start: str  # local time, HH:MM
    workday_end: str


class CapabilityOut(Schema):
    id: int
    lab: str
    test_item: str
    test_item_name: str
    method: str
    standard: str
    accredited: bool
    lod: float | None
    loq: float | None
    unit: str
    price: Decimal
    turnaround_days: int
    daily_capacity: int


@router.get("/labs", response=list[LabOut])
def labs(request: HttpRequest):
    return [LabOut(id=lab.id, code=lab.code, name=lab.name, kind=lab.kind,
                   cnas_number=lab.cnas_number, cma_number=lab.cma_number, city=lab.city,
                   district=lab.district.code,
                   workday_start=lab.workday_start.strftime("%H:%M"),
                   workday_end=lab.workday_end.strftime("%H:%M"))
            for lab in Lab.objects.select_related("district").order_by("code")]


@router.get("/capabilities", response=list[CapabilityOut])
def capabilities(request: HttpRequest, q: str = "", lab: int | None = None,
                 accredited: bool | None = None, limit: int = page_limit(100, 1000)):
    rows = selectors.capability_search(text=q, lab_id=lab, accredited=accredited)[:limit]
    return [CapabilityOut(
        id=c.id, lab=c.lab.code, test_item=c.test_item.code, test_item_name=c.test_item.name,
        method=c.method.code, standard=c.method.standard.code, accredited=c.accredited,
        lod=c.lod, loq=c.loq, unit=c.unit, price=c.price, turnaround_days=c.turnaround_days,
        daily_capacity=c.daily_capacity) for c in rows]


@router.post("/catalog/import", response={202: JobOut})
def catalog_import(request: HttpRequest, response: HttpResponse, file: File[UploadedFile]):
    """Queue the import as a job and answer 202 with it: poll its `url` until it is finished.
    Its outcome counts the rows, new and updated; a failed import lists each bad line in
    `errors` ({"line", "column", "reason"}) and imports nothing."""
    run = catalog_import_start(actor=request.user, content=file.read(),
                               filename=file.name or "", content_type=file.content_type or "")
    started = job_out(run, request.user)
    response["Location"] = started.url
    return Status(202, started)


@router.get("/catalog/export")
def catalog_export(request: HttpRequest, format: str = "csv", lab: int | None = None):
    file_format = "xlsx" if format == "xlsx" else "csv"
    content = services.catalog_export(lab_ids=[lab] if lab else None, file_format=file_format)
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    if file_format == "xlsx" else "text/csv; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="capabilities.{file_format}"'
    return response


class SearchRow(Schema):
    lab: str
    lab_name: str
    district: str
    test_item: str
    method: str
    standard: str
    accredited: bool
    price: float
    turnaround_days: int
    daily_capacity: int


@router.get("/network/search", response=list[SearchRow])
def search(request: HttpRequest, item: str = "", standard: str = "",
           accredited: bool | None = None, district: str = ""):
    district_id = district_by_code(district).id if district else None
    rows = network_capability_search(NetworkSearch(item.strip(), standard.strip(), accredited,
                                                   district_id))[:MAX_ROWS]
    return [SearchRow(lab=c.lab.code, lab_name=c.lab.name, district=c.lab.district.code,
                      test_item=c.test_item.code, method=c.method.code,
                      standard=c.method.standard.code, accredited=c.accredited,
                      price=float(c.price), turnaround_days=c.turnaround_days,
                      daily_capacity=c.daily_capacity) for c in rows]


class AgreementIn(Schema):
    code: str
    accepting: str
    performing: str
    scope: str
    test_items: list[str] = []
    valid_from: date
    valid_to: date
    document_reference: str


class AgreementOut(Schema):
    id: int
    code: str
    accepting: str
    performing: str
    scope: str
    test_items: list[str]
    valid_from: date
    valid_to: date
    document_reference: str


def agreement_out(row) -> AgreementOut:
    return AgreementOut(id=row.id, code=row.code, accepting=row.accepting_party.code,
                        performing=row.performing_party.code, scope=row.scope,
                        test_items=sorted(i.code for i in row.test_items.all()),
                        valid_from=row.valid_from, valid_to=row.valid_to,
                        document_reference=row.document_reference)


@router.post("/agreements", response={201: AgreementOut})
def agreement_create(request: HttpRequest, payload: AgreementIn):
    row = agreements.agreement_create(
        actor=request.user, code=payload.code,
        accepting=party_by_code(payload.accepting, "accepting"),
        performing=party_by_code(payload.performing, "performing"), scope=payload.scope,
        test_items=test_items_by_code(payload.test_items), valid_from=payload.valid_from,
        valid_to=payload.valid_to, document_reference=payload.document_reference)
    return Status(201, agreement_out(row))
