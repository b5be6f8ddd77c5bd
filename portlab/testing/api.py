from django.http import HttpRequest
from ninja import Router, Schema

from portlab.accounts.api import SignatureIn
from portlab.accounts.models import User
from portlab.core.api_params import page_limit
from portlab.core.errors import ApplicationError
from portlab.intake import selectors as intake_selectors
from portlab.intake.api import ReasonIn, ReceiveIn, SampleOut, sample_out
from portlab.testing import reception, selectors, services

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
    version: int


class ResultIn(Schema):
    kind: str = "numeric"
    value: str = ""
    unit: str = ""
    uncertainty: str = ""
    # k of U; 2 is assumed when U is given without it.
    coverage_factor: str = ""
    text: str = ""
    reason: str = ""
    version: int
    instrument: str = ""


class DecisionIn(SignatureIn):
    decision: str = "accept"
    comment: str = ""
    version: int


class SeenIn(Schema):
    id: int
    version: int


class BatchDecisionIn(SignatureIn):
    tests: list[SeenIn]
    decision: str = "accept"
    comment: str = ""


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
def tests(request: HttpRequest, status: str = "pending", mine: bool = False,
          limit: int = page_limit(100, 1000)):
    rows = selectors.worklist(request.user, status, mine=mine)[:limit]
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


def _decide(request: HttpRequest, test_id: int, payload: DecisionIn, service) -> TestOut:
    test = selectors.test_get(request.user, test_id)
    service(actor=request.user, seen=[services.Seen(test, payload.version)],
            decision=payload.decision, comment=payload.comment, credential=payload.credential())
    return test_out(selectors.test_get(request.user, test_id))


def _decide_batch(request: HttpRequest, payload: BatchDecisionIn, service) -> list[TestOut]:
    seen = [services.Seen(selectors.test_get(request.user, row.id), row.version)
            for row in payload.tests]
    service(actor=request.user, seen=seen, decision=payload.decision, comment=payload.comment,
            credential=payload.credential())
    return [test_out(selectors.test_get(request.user, row.id)) for row in payload.tests]


@router.post("/reviews", response=list[TestOut])
def tests_review(request: HttpRequest, payload: BatchDecisionIn):
    return _decide_batch(request, payload, services.tests_review)


@router.post("/approvals", response=list[TestOut])
def tests_approve(request: HttpRequest, payload: BatchDecisionIn):
    return _decide_batch(request, payload, services.tests_approve)


@router.post("/tests/{test_id}/review", response=TestOut)
def test_review(request: HttpRequest, test_id: int, payload: DecisionIn):
    return _decide(request, test_id, payload, services.tests_review)


@router.post("/tests/{test_id}/approve", response=TestOut)
def test_approve(request: HttpRequest, test_id: int, payload: DecisionIn):
    return _decide(request, test_id, payload, services.tests_approve)


# Reception creates the sample's tests, so its routes sit here, above intake.
@router.post("/samples/{number}/receive", response=SampleOut)
def sample_receive(request: HttpRequest, number: str, payload: ReceiveIn):
    sample = intake_selectors.sample_get(request.user, number)
    reception.sample_receive(actor=request.user, sample=sample, barcode=payload.barcode,
                             expected_version=payload.version)
    return sample_out(sample)


@router.post("/samples/{number}/reject", response=SampleOut)
def sample_reject(request: HttpRequest, number: str, payload: ReasonIn):
    sample = intake_selectors.sample_get(request.user, number)
    reception.sample_reject(actor=request.user, sample=sample, reason=payload.reason,
                            expected_version=payload.version)
    return sample_out(sample)
