"""The quality API under /api/v1/quality/: the main writes, over the services."""

from django.http import HttpRequest
from ninja import Router, Schema

from portlab.accounts.models import User
from portlab.core.api_params import days_ahead
from portlab.core.errors import ApplicationError, NotFound
from portlab.network.models import Capability, Lab, Method, Standard, TestItem
from portlab.quality import selectors, services

router = Router()


class AuthorizationIn(Schema):
    user: str
    lab: str
    duty: str
    valid_from: str
    valid_to: str = ""
    capability: int | None = None
    method: str = ""


class AuthorizationOut(Schema):
    id: int
    user: str
    lab: str
    duty: str
    capability: int | None
    method: str | None
    valid_from: str
    valid_to: str | None


def _authorization_out(a) -> AuthorizationOut:
    return AuthorizationOut(id=a.pk, user=a.user.username, lab=a.lab.code, duty=a.duty,
                            capability=a.capability_id, method=a.method.code if a.method else None,
                            valid_from=a.valid_from.isoformat(),
                            valid_to=a.valid_to.isoformat() if a.valid_to else None)


def _get(model, field: str, **lookup):
    row = model.objects.filter(**lookup).first()
    if row is None:
        raise ApplicationError(f"Unknown {field} “{next(iter(lookup.values()))}”.", field=field)
    return row


@router.post("/quality/authorizations", response={201: AuthorizationOut})
def authorization_grant(request: HttpRequest, payload: AuthorizationIn):
    lab = _get(Lab, "lab", code=payload.lab)
    authorization = services.authorization_grant(
        actor=request.user, user=_get(User, "user", username=payload.user), lab=lab,
        duty=payload.duty, valid_from=payload.valid_from, valid_to=payload.valid_to,
        capability=_get(Capability, "capability", pk=payload.capability, lab=lab)
        if payload.capability else None,
        method=_get(Method, "method", code=payload.method) if payload.method else None)
    return 201, _authorization_out(authorization)


@router.get("/quality/authorizations/expiring", response=list[AuthorizationOut])
def authorizations_expiring(request: HttpRequest, lab: str = "", days: int = days_ahead(30, 366)):
    labs = selectors.visible_labs(request.user)
    if lab:
        labs = labs.filter(code=lab)
    ids = list(labs.values_list("id", flat=True))
    return [_authorization_out(a) for a in selectors.authorizations_expiring(ids, days)]


class QCRunIn(Schema):
    lab: str
    test_item: str
    run_code: str
    date: str
    values: dict[str, str]
    tests: list[int] = []  # the tests the run covers, by id
    cover_run_date: bool = False  # also the item's tests with results entered on the run date


class QCRunOut(Schema):
    id: int
    run_code: str
    status: str
    results: list[dict]


@router.post("/quality/qc/runs", response={201: QCRunOut})
def qc_run_record(request: HttpRequest, payload: QCRunIn):
    lab = _get(Lab, "lab", code=payload.lab)
    run = services.qc_run_record(actor=request.user, lab=lab,
                                 test_item=_get(TestItem, "test_item", code=payload.test_item),
                                 run_code=payload.run_code, date=payload.date,
                                 values=payload.values, test_ids=payload.tests,
                                 cover_run_date=payload.cover_run_date)
    return 201, QCRunOut(id=run.pk, run_code=run.run_code, status=run.status, results=[
        {"material": r.material.code, "value": r.value, "z": r.z, "rules": r.rules,
         "status": r.status} for r in run.results.select_related("material").order_by("id")])


class PTResultIn(Schema):
    value: str
    u: str = ""
    expanded_u: str = ""
    lab: str = ""
    version: int | None = None  # required to correct a result already submitted


class PTRowOut(Schema):
    coded_id: str
    lab: str | None
    value: float | None
    z: float | None
    z_prime: float | None
    zeta: float | None
    en: float | None
    evaluation: str
    version: int | None


class PTRoundOut(Schema):
    id: int
    code: str
    status: str
    deadline: str
    x_pt: float | None
    sigma_pt: float | None
    version: int
    rows: list[PTRowOut]


def _round_out(user, round_) -> PTRoundOut:
    rows = []
    for row in selectors.pt_round_rows(user, round_):
        result = row["result"]
        rows.append(PTRowOut(
            coded_id=row["participant"].coded_id, lab=row["lab"].code if row["lab"] else None,
            value=result.value if result else None, z=result.z if result else None,
            z_prime=result.z_prime if result else None, zeta=result.zeta if result else None,
            en=result.en if result else None, evaluation=result.evaluation if result else "",
            version=result.version if result else None))
    return PTRoundOut(id=round_.pk, code=round_.code, status=round_.status,
                      deadline=round_.deadline.isoformat(), x_pt=round_.x_pt,
                      sigma_pt=round_.sigma_pt_used, version=round_.version, rows=rows)


@router.get("/quality/pt/rounds/{round_id}", response=PTRoundOut)
def pt_round(request: HttpRequest, round_id: int):
    return _round_out(request.user, selectors.pt_round_get(request.user, round_id))


@router.post("/quality/pt/rounds/{round_id}/results", response=PTRoundOut)
def pt_result_submit(request: HttpRequest, round_id: int, payload: PTResultIn):
    round_ = selectors.pt_round_get(request.user, round_id)
    mine = [row for row in selectors.pt_round_rows(request.user, round_) if row["mine"]
            and (not payload.lab or row["lab"].code == payload.lab)]
    if not mine:
        raise NotFound("Your lab does not take part in this round.", field="lab")
    services.pt_result_submit(actor=request.user, participant=mine[0]["participant"],
                              value=payload.value, u=payload.u, expanded_u=payload.expanded_u,
                              expected_version=payload.version, version_required=True)
    return _round_out(request.user, round_)


class RoundStepIn(Schema):
    version: int


@router.post("/quality/pt/rounds/{round_id}/{step}", response=PTRoundOut)
def pt_round_step(request: HttpRequest, round_id: int, step: str, payload: RoundStepIn):
    round_ = selectors.pt_round_get(request.user, round_id)
    if step == "close":
        services.pt_round_close(actor=request.user, round_=round_,
                                expected_version=payload.version)
    elif step == "score":
        services.pt_round_score(actor=request.user, round_=round_,
                                expected_version=payload.version)
    else:
        raise NotFound(f"Unknown step {step}.")
    return _round_out(request.user, round_)


class WithdrawIn(Schema):
    replaced_by: str = ""


@router.post("/quality/standards/withdraw/{code}", response=dict)
def standard_withdraw(request: HttpRequest, code: str, payload: WithdrawIn):
    alerts = services.standard_withdraw(
        actor=request.user, standard=_get(Standard, "standard", code=code),
        replaced_by=_get(Standard, "replaced_by", code=payload.replaced_by)
        if payload.replaced_by else None)
    return {"standard": code, "alerts": len(alerts)}
