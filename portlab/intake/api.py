from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from portlab.accounts.models import Enterprise
from portlab.core.api_params import page_limit
from portlab.core.errors import ApplicationError
from portlab.intake import selectors, services
from portlab.network.models import Lab, ProductCategory, TestItem

router = Router()


class SampleIn(Schema):
    description: str
    quantity: str = ""


class ApplicationIn(Schema):
    enterprise: str = Field(description="Unified social credit code of the applicant")
    lab: str = Field(description="Code of the receiving lab")
    goods_description: str
    hs_code: str
    declaration_number: str = ""
    purpose: str
    product_category: str = ""
    test_items: list[str] = Field(description="Test item codes")
    samples: list[SampleIn]
    requires_accreditation: bool = True
    decision_rule: str = ""


class SampleOut(Schema):
    number: str
    description: str
    barcode: str | None
    status: str
    version: int
    rejection_reason: str


class ApplicationOut(Schema):
    number: str
    enterprise: str
    lab: str
    goods_description: str
    hs_code: str
    declaration_number: str
    purpose: str
    status: str
    version: int
    submitted_at: datetime
    test_items: list[str]
    samples: list[SampleOut]


class ReceiveIn(Schema):
    barcode: str = ""
    version: int


class ReasonIn(Schema):
    reason: str
    version: int


def application_out(application) -> ApplicationOut:
    return ApplicationOut(
        number=application.number, enterprise=application.enterprise.credit_code,
        lab=application.lab.code, goods_description=application.goods_description,
        hs_code=application.hs_code, declaration_number=application.declaration_number,
        purpose=application.purpose, status=application.status, version=application.version,
        submitted_at=application.submitted_at,
        test_items=list(application.items.order_by("id").values_list("test_item__code",
                                                                      flat=True)),
        samples=[sample_out(s) for s in application.samples.order_by("number")],
    )


def sample_out(sample) -> SampleOut:
    return SampleOut(number=sample.number, description=sample.description,
                     barcode=sample.barcode, status=sample.status, version=sample.version,
                     rejection_reason=sample.rejection_reason)


def _lookup(model, field: str, value: str, label: str):
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise ApplicationError(f"Unknown {label} “{value}”.", field=label)
    return found


def _item_ids(codes: list[str]) -> list[int]:
    known = dict(TestItem.objects.filter(code__in=codes).values_list("code", "id"))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ApplicationError(f"Unknown test item(s): {', '.join(unknown)}.", field="test_items")
    return [known[code] for code in codes]


@router.post("/applications", response={201: ApplicationOut})
def application_register(request: HttpRequest, payload: ApplicationIn):
    category = (_lookup(ProductCategory, "code", payload.product_category, "product_category")
                if payload.product_category else None)
    application = services.application_register(
        actor=request.user,
        enterprise=_lookup(Enterprise, "credit_code", payload.enterprise, "enterprise"),
        lab=_lookup(Lab, "code", payload.lab, "lab"),
        goods_description=payload.goods_description, hs_code=payload.hs_code,
        declaration_number=payload.declaration_number, purpose=payload.purpose,
        product_category=category, test_item_ids=_item_ids(payload.test_items),
        samples=[services.SampleInput(**s.dict()) for s in payload.samples],
        requires_accreditation=payload.requires_accreditation,
        decision_rule=payload.decision_rule,
    )
    return Status(201, application_out(application))


@router.get("/applications", response=list[ApplicationOut])
def applications(request: HttpRequest, status: str = "", limit: int = page_limit(50, 500)):
    rows = selectors.applications_visible_to(request.user).order_by("-id")
    if status:
        rows = rows.filter(status=status)
    return [application_out(a) for a in rows[:limit]]


@router.get("/applications/{number}", response=ApplicationOut)
def application_detail(request: HttpRequest, number: str):
    return application_out(selectors.application_get(request.user, number))


@router.post("/applications/{number}/cancel", response=ApplicationOut)
def application_cancel(request: HttpRequest, number: str, payload: ReasonIn):
    application = selectors.application_get(request.user, number)
    services.application_cancel(actor=request.user, application=application,
                                reason=payload.reason, expected_version=payload.version)
    return application_out(application)
