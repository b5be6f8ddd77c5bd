"""The network acting as one, in the JSON API: search, workload, agreements, routing,
transfers and predicted completion. Thin: every route calls a service or a selector."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema, Status

from portlab.intake.selectors import application_get
from portlab.network import agreements, routing_service, transfers, workload
from portlab.network.lookups import (
    district_by_code,
    lab_by_code,
    party_by_code,
    test_items_by_code,
    transfer_get,
    visible_lab_ids,
    visible_transfers,
)
from portlab.network.prediction import application_predicted_completion
from portlab.network.search import MAX_ROWS, NetworkSearch, network_capability_search
from portlab.testing.selectors import test_get

router = Router()


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


class WorkloadRow(Schema):
    lab: str
    daily_capacity: int
    open_tests: int
    by_status: dict[str, int]
    backlog_days: float | None


@router.get("/network/workload", response=list[WorkloadRow])
def lab_workload(request: HttpRequest, district: str = ""):
    rows = workload.lab_workload(district_id=district_by_code(district).id if district else None,
                                 lab_ids=visible_lab_ids(request.user))
    return [WorkloadRow(lab=row.lab.code, daily_capacity=row.daily_capacity,
                        open_tests=row.open_tests, by_status=row.by_status,
                        backlog_days=row.backlog_days) for row in rows]


class CrossDistrictRow(Schema):
    period: date
    period_label: str
    from_district: str
    to_district: str
    batches: int
    test_items: int


@router.get("/network/cross-district", response=list[CrossDistrictRow])
def cross_district(request: HttpRequest, period: str = "month", start: date | None = None,
                   end: date | None = None):
    visible_lab_ids(request.user)  # lab-side users only
    return [CrossDistrictRow(**vars_of(row)) for row in
            workload.cross_district_work(period=period, start=start, end=end)]


def vars_of(row) -> dict:
    return {name: getattr(row, name) for name in row.__slots__}


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


class TransferOut(Schema):
    id: int
    test: int
    from_lab: str
    to_lab: str
    agreement: str
    sample_portion: str
    status: str
    version: int


def transfer_out(row) -> TransferOut:
    return TransferOut(id=row.id, test=row.test_id, from_lab=row.from_lab.code,
                       to_lab=row.to_lab.code, agreement=row.agreement.code,
                       sample_portion=row.sample_portion, status=row.status,
                       version=row.version)


class DispatchIn(Schema):
    test: int
    to_lab: str
    sample_portion: str
    note: str = ""
    version: int | None = None  # the test's; a dispatch creates a transfer


class StepIn(Schema):
    place: str = ""
    note: str = ""
    reason: str = ""
    version: int


@router.get("/transfers", response=list[TransferOut])
def transfer_list(request: HttpRequest, status: str = ""):
    rows = visible_transfers(request.user)
    return [transfer_out(row) for row in (rows.filter(status=status) if status else rows)[:500]]


@router.post("/transfers", response={201: TransferOut})
def transfer_dispatch(request: HttpRequest, payload: DispatchIn):
    row = transfers.transfer_dispatch(
        actor=request.user, test=test_get(request.user, payload.test),
        to_lab=lab_by_code(payload.to_lab, "to_lab"), sample_portion=payload.sample_portion,
        note=payload.note, expected_version=payload.version)
    return Status(201, transfer_out(row))


@router.post("/transfers/{transfer_id}/in-transit", response=TransferOut)
def transfer_in_transit(request: HttpRequest, transfer_id: int, payload: StepIn):
    return transfer_out(transfers.transfer_in_transit(
        actor=request.user, transfer=transfer_get(request.user, transfer_id),
        place=payload.place, note=payload.note, expected_version=payload.version))


@router.post("/transfers/{transfer_id}/receive", response=TransferOut)
def transfer_receive(request: HttpRequest, transfer_id: int, payload: StepIn):
    return transfer_out(transfers.transfer_receive(
        actor=request.user, transfer=transfer_get(request.user, transfer_id),
        note=payload.note, expected_version=payload.version))


@router.post("/transfers/{transfer_id}/reject", response=TransferOut)
def transfer_reject(request: HttpRequest, transfer_id: int, payload: StepIn):
    return transfer_out(transfers.transfer_reject(
        actor=request.user, transfer=transfer_get(request.user, transfer_id),
        reason=payload.reason, expected_version=payload.version))


class ProposedOut(Schema):
    test: int
    lab: str
    completion_date: date
    price: float
    transferred: bool
    late: bool
    agreement: str


class UnplacedOut(Schema):
    test: int
    reason: str
    detail: str


class RoutingOut(Schema):
    status: str
    assignments: list[ProposedOut]
    unplaced: list[UnplacedOut]
    labs_without_capacity: list[str]


@router.get("/labs/{code}/routing", response=RoutingOut)
def routing_propose(request: HttpRequest, code: str):
    routed = routing_service.route_batch(actor=request.user, lab=lab_by_code(code, "lab"))
    return RoutingOut(
        status=routed.status,
        assignments=[ProposedOut(test=r.test.id, lab=r.lab.code, completion_date=r.completion_date,
                                 price=r.price, transferred=r.transferred, late=r.late,
                                 agreement=r.agreement_code) for r in routed.assignments],
        unplaced=[UnplacedOut(test=r.test.id, reason=r.reason, detail=r.detail)
                  for r in routed.unplaced],
        labs_without_capacity=[lab.code for lab in routed.labs_without_capacity])


class ApplyIn(Schema):
    transfers: list[tuple[int, str]]
    sample_portion: str


@router.post("/labs/{code}/routing/apply", response={201: list[TransferOut]})
def routing_apply(request: HttpRequest, code: str, payload: ApplyIn):
    choices = [(test_id, lab_by_code(lab, f"transfers[{test_id}]").id)
               for test_id, lab in payload.transfers]
    rows = routing_service.routing_apply(actor=request.user, lab=lab_by_code(code, "lab"),
                                         choices=choices, sample_portion=payload.sample_portion)
    return Status(201, [transfer_out(row) for row in rows])


class ForecastOut(Schema):
    test: str
    lab: str
    date: date
    basis: str


class PredictionOut(Schema):
    application: str
    date: date | None
    days: int | None
    tests: list[ForecastOut]


@router.get("/applications/{number}/prediction", response=PredictionOut)
def prediction(request: HttpRequest, number: str):
    application = application_get(request.user, number)
    found = application_predicted_completion(application)
    if found is None:
        return PredictionOut(application=number, date=None, days=None, tests=[])
    return PredictionOut(application=number, date=found.date, days=found.days, tests=[
        ForecastOut(test=f.label, lab=f.lab.code, date=f.date, basis=f.basis)
        for f in found.tests])
