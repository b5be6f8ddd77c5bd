"""Cross-lab work in the JSON API: workload, cross-district counts, routing, transfers and
predicted completion. Thin: every route calls a service or a selector."""

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from portlab.intake.selectors import application_get
from portlab.jobs.api import JobOut, job_out
from portlab.network.lookups import district_by_code, lab_by_code, visible_lab_ids
from portlab.testing.selectors import test_get
from portlab.transfers import routing_service, services, workload
from portlab.transfers.prediction import application_predicted_completion
from portlab.transfers.selectors import (
    DowntimeBasis,
    LatenessBasis,
    transfer_get,
    visible_transfers,
)
from portlab.transfers.tasks import routing_batch_start

router = Router()


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
    row = services.transfer_dispatch(
        actor=request.user, test=test_get(request.user, payload.test),
        to_lab=lab_by_code(payload.to_lab, "to_lab"), sample_portion=payload.sample_portion,
        note=payload.note, expected_version=payload.version)
    return Status(201, transfer_out(row))


@router.post("/transfers/{transfer_id}/in-transit", response=TransferOut)
def transfer_in_transit(request: HttpRequest, transfer_id: int, payload: StepIn):
    return transfer_out(services.transfer_in_transit(
        actor=request.user, transfer=transfer_get(request.user, transfer_id),
        place=payload.place, note=payload.note, expected_version=payload.version))


@router.post("/transfers/{transfer_id}/receive", response=TransferOut)
def transfer_receive(request: HttpRequest, transfer_id: int, payload: StepIn):
    return transfer_out(services.transfer_receive(
        actor=request.user, transfer=transfer_get(request.user, transfer_id),
        note=payload.note, expected_version=payload.version))


@router.post("/transfers/{transfer_id}/reject", response=TransferOut)
def transfer_reject(request: HttpRequest, transfer_id: int, payload: StepIn):
    return transfer_out(services.transfer_reject(
        actor=request.user, transfer=transfer_get(request.user, transfer_id),
        reason=payload.reason, expected_version=payload.version))


class MovedOut(Schema):
    detail: str


@router.post("/labs/{code}/routing", response={202: JobOut})
def routing_start(request: HttpRequest, response: HttpResponse, code: str):
    """Route the lab's waiting tests as a job and answer 202 with it: poll its `url`. Its
    outcome holds the proposal ({"test", "lab_code", "completion", "price", "transferred",
    "late", "agreement"} per test) and `errors` the tests no lab can take, with the reason;
    dispatch the chosen ones with `POST /labs/{code}/routing/apply`. Nothing else is written."""
    run = routing_batch_start(actor=request.user, lab=lab_by_code(code, "code"))
    started = job_out(run, request.user)
    response["Location"] = started.url
    return Status(202, started)


@router.get("/labs/{code}/routing", response={405: MovedOut}, deprecated=True)
def routing_moved(request: HttpRequest, response: HttpResponse, code: str):
    """Routing used to run inside this GET; it is a job now, started by POST (a GET starts no
    work). Kept to tell the clients that still call it where it went."""
    response["Allow"] = "POST"
    return Status(405, MovedOut(detail=_(
        "Routing runs as a background job now: POST /api/v1/labs/%(code)s/routing starts it "
        "and answers 202 with the job to poll (GET /api/v1/jobs/{id}).") % {"code": code}))


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
    date: date | None
    basis: str


class LatenessOut(Schema):
    source: str  # lab: the lab's own fit; network: the network's; default: generated history
    lab: str | None = None
    tests: int | None = None  # completed tests the fit counted
    fitted_at: datetime | None = None


def lateness_out(basis: LatenessBasis) -> LatenessOut:
    fit = basis.fit
    if fit is None:
        return LatenessOut(source="default")
    return LatenessOut(source="lab" if fit.lab else "network",
                       lab=fit.lab.code if fit.lab else None, tests=fit.tests,
                       fitted_at=fit.fitted_at)


class DowntimeOut(Schema):
    source: str  # lab: the lab's own fit; network: the network's; default: generated history
    return_days: int  # working days a down instrument is expected to stay down
    lab: str | None = None
    episodes: int | None = None  # downtime episodes the fit counted
    fitted_at: datetime | None = None


def downtime_out(basis: DowntimeBasis) -> DowntimeOut:
    fit = basis.fit
    if fit is None:
        return DowntimeOut(source="default", return_days=basis.return_days)
    return DowntimeOut(source="lab" if fit.lab else "network", return_days=basis.return_days,
                       lab=fit.lab.code if fit.lab else None, episodes=fit.episodes,
                       fitted_at=fit.fitted_at)


class PredictionOut(Schema):
    application: str
    date: date | None
    days: int | None
    low: date | None = None
    high: date | None = None
    provisional: bool = False
    tests: list[ForecastOut]
    lateness: list[LatenessOut] = []
    downtime: list[DowntimeOut] = []


@router.get("/applications/{number}/prediction", response=PredictionOut)
def prediction(request: HttpRequest, number: str):
    application = application_get(request.user, number)
    found = application_predicted_completion(application)
    if found is None:
        return PredictionOut(application=number, date=None, days=None, tests=[])
    return PredictionOut(application=number, date=found.date, days=found.days, low=found.low,
                         high=found.high, provisional=found.provisional, tests=[
        ForecastOut(test=f.label, lab=f.lab.code, date=f.date, basis=f.basis)
        for f in found.tests], lateness=[lateness_out(basis) for basis in found.lateness],
        downtime=[downtime_out(basis) for basis in found.downtime])
