from django.http import HttpRequest
from ninja import Router, Schema

from portlab.accounts.models import User
from portlab.core.errors import ApplicationError
from portlab.testing import selectors, services
from portlab.testing.results import ResultInput

router = Router()


class ResultOut(Schema):
    kind: str
    entered_value: str
    entered_unit: str
    value: float | None
    unit: str
    uncertainty: float | None
    coverage_factor: float | None
    text: str
    conformity: str
    decision_rule: str
    version: int


class TestOut(Schema):
    id: int
    sample: str
    application: str
    test_item: str
    method: str
    lab: str
    analyst: str | None
    status: str
    due_date: str
    version: int
    result: ResultOut | None


class AssignIn(Schema):
    analyst: str
    version: int | None = None


class ResultIn(Schema):
    kind: str = "numeric"
    value: str = ""
    unit: str = ""
    uncertainty: str = ""
    # k of U; 2 is assumed when U is given without it.
    coverage_factor: str = ""
    text: str = ""
    reason: str = ""
    version: int | None = None


class DecisionIn(Schema):
    decision: str = "accept"
    comment: str = ""
    version: int | None = None


def test_out(test) -> TestOut:
    result = getattr(test, "result", None)
    return TestOut(
        id=test.id, sample=test.sample.number, application=test.sample.application.number,
        test_item=test.test_item.code, method=test.capability.method.code, lab=test.lab.code,
        analyst=test.analyst.username if test.analyst else None, status=test.status,
        due_date=test.due_date.isoformat(), version=test.version,
        result=ResultOut(**{f: getattr(result, f) for f in ResultOut.model_fields})
        if result else None,
    )


@router.get("/tests", response=list[TestOut])
def tests(request: HttpRequest, status: str = "pending", mine: bool = False, limit: int = 100):
    rows = selectors.worklist(request.user, status, mine=mine)[:min(limit, 1000)]
    return [test_out(t) for t in rows]


@router.get("/tests/{test_id}", response=TestOut)
def test_detail(request: HttpRequest, test_id: int):
    return test_out(selectors.test_get(request.user, test_id))


@router.post("/tests/{test_id}/assign", response=TestOut)
def test_assign(request: HttpRequest, test_id: int, payload: AssignIn):
    test = selectors.test_get(request.user, test_id)
    analyst = User.objects.filter(username=payload.analyst).first()
    if analyst is None:
        raise ApplicationError(f"Unknown user “{payload.analyst}”.", field="analyst")
    services.test_assign(actor=request.user, test=test, analyst=analyst,
                         expected_version=payload.version)
    return test_out(selectors.test_get(request.user, test_id))


@router.post("/tests/{test_id}/result", response=TestOut)
def result_enter(request: HttpRequest, test_id: int, payload: ResultIn):
    test = selectors.test_get(request.user, test_id)
    data = ResultInput(kind=payload.kind, value=payload.value, unit=payload.unit,
                       uncertainty=payload.uncertainty, text=payload.text,
                       coverage_factor=payload.coverage_factor)
    services.result_enter(actor=request.user, test=test, data=data, reason=payload.reason,
                          expected_version=payload.version)
    return test_out(selectors.test_get(request.user, test_id))


@router.post("/tests/{test_id}/review", response=TestOut)
def test_review(request: HttpRequest, test_id: int, payload: DecisionIn):
    test = selectors.test_get(request.user, test_id)
    services.test_review(actor=request.user, test=test, decision=payload.decision,
                         comment=payload.comment, expected_version=payload.version)
    return test_out(selectors.test_get(request.user, test_id))


@router.post("/tests/{test_id}/approve", response=TestOut)
def test_approve(request: HttpRequest, test_id: int, payload: DecisionIn):
    test = selectors.test_get(request.user, test_id)
    services.test_approve(actor=request.user, test=test, decision=payload.decision,
                          comment=payload.comment, expected_version=payload.version)
    return test_out(selectors.test_get(request.user, test_id))
