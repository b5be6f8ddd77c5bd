from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from portlab.network import selectors, services
from portlab.network.models import Lab

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


class ImportOut(Schema):
    rows: int
    created: int
    updated: int
    labs: list[str]


@router.get("/labs", response=list[LabOut])
def labs(request: HttpRequest):
    return [LabOut(id=lab.id, code=lab.code, name=lab.name, kind=lab.kind,
                   cnas_number=lab.cnas_number, cma_number=lab.cma_number, city=lab.city,
                   district=lab.district.code)
            for lab in Lab.objects.select_related("district").order_by("code")]


@router.get("/capabilities", response=list[CapabilityOut])
def capabilities(request: HttpRequest, q: str = "", lab: int | None = None,
                 accredited: bool | None = None, limit: int = 100):
    rows = selectors.capability_search(text=q, lab_id=lab, accredited=accredited)[:min(limit, 1000)]
    return [CapabilityOut(
        id=c.id, lab=c.lab.code, test_item=c.test_item.code, test_item_name=c.test_item.name,
        method=c.method.code, standard=c.method.standard.code, accredited=c.accredited,
        lod=c.lod, loq=c.loq, unit=c.unit, price=c.price, turnaround_days=c.turnaround_days,
        daily_capacity=c.daily_capacity) for c in rows]


@router.post("/catalog/import", response=ImportOut)
def catalog_import(request: HttpRequest, file: File[UploadedFile]):
    summary = services.catalog_import(actor=request.user, content=file.read(),
                                      filename=file.name or "")
    return summary


@router.get("/catalog/export")
def catalog_export(request: HttpRequest, format: str = "csv", lab: int | None = None):
    file_format = "xlsx" if format == "xlsx" else "csv"
    content = services.catalog_export(lab_ids=[lab] if lab else None, file_format=file_format)
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    if file_format == "xlsx" else "text/csv; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="capabilities.{file_format}"'
    return response
