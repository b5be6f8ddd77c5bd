"""Tests and results: creation at reception, assignment, result entry, review and approval."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import Role
from portlab.accounts.permissions import has_role, require_role
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.versioning import save_versioned
from portlab.intake.models import Sample, Status
from portlab.intake.services import application_sync_status, standard_due_date
from portlab.network.selectors import capabilities_for_items
from portlab.quality.models import Duty
from portlab.quality.services import authorization_require, qc_approval_require
from portlab.testing.models import Result, Review, Test
from portlab.testing.results import ResultInput, build_result

LIVE = (Test.Status.PENDING, Test.Status.ASSIGNED, Test.Status.RESULTED,
        Test.Status.REVIEWED, Test.Status.APPROVED)


def tests_create_for_sample(sample: Sample) -> list[Test]:
    """One test per requested item, at the application's lab, with the capability it holds."""
    application = sample.application
    item_ids = list(application.items.values_list("test_item_id", flat=True))
    chosen = capabilities_for_items(application.lab, item_ids, application.requires_accreditation)
    now = timezone.now()
    return Test.objects.bulk_create(
        Test(sample=sample, test_item_id=item_id, capability=chosen[item_id],
             lab=application.lab, created_at=now,
             due_date=standard_due_date(chosen[item_id].turnaround_days))
        for item_id in item_ids
    )


def _require_status(test: Test, *allowed: str) -> None:
    if test.status not in allowed:
        raise ApplicationError(
            _("Test %(id)s is “%(status)s”; this step is not possible now.")
            % {"id": test.pk, "status": test.get_status_display()}
        )


def _transition(test: Test, actor, action: str, new_status: str, expected_version: int | None,
                reason: str = "", extra: dict | None = None, details: dict | None = None) -> None:
    """Move the test to `new_status` (writing `extra` fields too) and audit it; `details` go
    into the event's "after" beside the status."""
    before = test.status
    test.status = new_status
    fields = ["status", *(extra or {}).keys()]
    for name, value in (extra or {}).items():
        setattr(test, name, value)
    save_versioned(test, expected_version, fields)
    audit_record(actor=actor, action=action, entity=test, before={"status": before},
                 after={"status": new_status, **{k: str(v) for k, v in (extra or {}).items()},
                        **(details or {})},
                 reason=reason)


@transaction.atomic
def test_assign(*, actor, test: Test, analyst, expected_version: int | None = None) -> Test:
    """Give a test to an analyst of its lab (lab manager or reception clerk)."""
    if not (has_role(actor, Role.LAB_MANAGER, test.lab)
            or has_role(actor, Role.RECEPTION_CLERK, test.lab)):
        raise PermissionDenied(_("Only the lab manager or a reception clerk assigns tests."))
    _require_status(test, Test.Status.PENDING, Test.Status.ASSIGNED)
    if not has_role(analyst, Role.ANALYST, test.lab):
        raise ApplicationError(
            _("%(user)s is not an analyst at %(lab)s.") % {"user": analyst, "lab": test.lab.name},
            field="analyst",
        )
    authorization_require(analyst, test.capability, Duty.TESTING, field="analyst")
    _transition(test, actor, "test_assign", Test.Status.ASSIGNED, expected_version,
                extra={"analyst": analyst})
    sample_sync_status(test.sample, actor=actor)
    return test


def guard_enter_result(actor, test: Test) -> None:
    require_role(actor, Role.ANALYST, test.lab)
    if test.analyst_id != actor.pk:
        raise PermissionDenied(_("This test is assigned to another analyst."))
    _require_status(test, Test.Status.ASSIGNED, Test.Status.RESULTED)


@transaction.atomic
def result_enter(
    *, actor, test: Test, data: ResultInput, reason: str = "",
    expected_version: int | None = None,
) -> Result:
    """Record (or correct) the result of a test and judge it against its specification.

    A result already submitted can be changed only with a reason; `expected_version` is the
    result's version for a change, the test's for a first entry.
    """
    guard_enter_result(actor, test)
    existing = Result.objects.filter(test=test).first()
    before = result_snapshot(existing) if existing else None
    result = build_result(test, data, existing)
    result.entered_by, result.entered_at = actor, timezone.now()
    if existing is None:
        result.save(force_insert=True)
        # One event records the first result and the test's move to "resulted".
        _transition(test, actor, "result_submit", Test.Status.RESULTED, expected_version,
                    details={"result": result_snapshot(result)})
    else:
        _change_result(actor, test, result, before, reason, expected_version)
    sample_sync_status(test.sample, actor=actor)
    return result


def _change_result(actor, test: Test, result: Result, before: dict, reason: str,
                   expected_version: int | None) -> None:
    if not reason.strip():
        raise ApplicationError(_("Changing a submitted result needs a reason."), field="reason")
    save_versioned(result, expected_version, RESULT_FIELDS)
    if test.status != Test.Status.RESULTED:
        _transition(test, actor, "result_submit", Test.Status.RESULTED, None)
    audit_record(actor=actor, action="result_change", entity=result, before=before,
                 after=result_snapshot(result), reason=reason.strip())


RESULT_FIELDS = ["kind", "entered_value", "entered_unit", "value", "unit", "uncertainty",
                 "coverage_factor", "text", "conformity", "decision_rule", "entered_by",
                 "entered_at"]


def result_snapshot(result: Result) -> dict:
    return {"kind": result.kind, "value": result.entered_value, "unit": result.entered_unit,
            "reported": result.value, "reported_unit": result.unit,
            "uncertainty": result.uncertainty, "coverage_factor": result.coverage_factor,
            "text": result.text,
            "conformity": result.conformity}


def _guard_review(actor, test: Test, role: str, status: str, duty: str) -> None:
    require_role(actor, role, test.lab)
    _require_status(test, status)
    if test.analyst_id == actor.pk:
        raise PermissionDenied(_("The analyst who produced a result cannot also check it."))
    authorization_require(actor, test.capability, duty)


def _apply_decision(actor, test: Test, stage: str, decision: str, comment: str,
                    expected_version: int | None, accepted_status: str) -> Test:
    if decision not in Review.Decision.values:
        raise ApplicationError(_("Unknown decision “%s”.") % decision, field="decision")
    if decision != Review.Decision.ACCEPT and not comment.strip():
        raise ApplicationError(_("Say why the result goes back."), field="comment")
    Review.objects.create(test=test, stage=stage, decision=decision, reviewer=actor,
                          at=timezone.now(), comment=comment.strip())
    if decision == Review.Decision.ACCEPT:
        approved = accepted_status == Test.Status.APPROVED
        extra = {"completed_at": timezone.now()} if approved else None
        _transition(test, actor, f"test_{stage}", accepted_status, expected_version, extra=extra)
    elif decision == Review.Decision.RETURN:
        _transition(test, actor, f"test_{stage}_return", Test.Status.ASSIGNED, expected_version,
                    reason=comment)
    else:
        _retest(actor, test, expected_version, comment)
    sample_sync_status(test.sample, actor=actor)
    return test


def _retest(actor, test: Test, expected_version: int | None, comment: str) -> Test:
    _transition(test, actor, "test_retract", Test.Status.RETRACTED, expected_version,
                reason=comment)
    retest = Test.objects.create(
        sample=test.sample, test_item=test.test_item, capability=test.capability, lab=test.lab,
        analyst=test.analyst, status=Test.Status.ASSIGNED, due_date=test.due_date,
        created_at=timezone.now(), retest_of=test,
    )
    audit_record(actor=actor, action="test_retest", entity=retest,
                 after={"retest_of": test.pk, "status": retest.status}, reason=comment)
    return retest


@transaction.atomic
def test_review(*, actor, test: Test, decision: str, comment: str = "",
                expected_version: int | None = None) -> Test:
    """复核: a reviewer accepts the result, returns it to the analyst, or orders a retest."""
    _guard_review(actor, test, Role.REVIEWER, Test.Status.RESULTED, Duty.REVIEW)
    return _apply_decision(actor, test, Review.Stage.REVIEW, decision, comment,
                           expected_version, Test.Status.REVIEWED)


@transaction.atomic
def test_approve(*, actor, test: Test, decision: str, comment: str = "",
                 expected_version: int | None = None) -> Test:
    """批准: an authorized signatory approves a reviewed result, or sends it back."""
    _guard_review(actor, test, Role.SIGNATORY, Test.Status.REVIEWED, Duty.SIGNING)
    if decision == Review.Decision.ACCEPT:
        qc_approval_require(test)
    return _apply_decision(actor, test, Review.Stage.APPROVAL, decision, comment,
                           expected_version, Test.Status.APPROVED)


def sample_progress(test_statuses: list[str]) -> str:
    live = [s for s in test_statuses if s in LIVE]
    if not live:
        return Status.RECEIVED
    if all(s == Test.Status.APPROVED for s in live):
        return Status.APPROVED
    if all(s in (Test.Status.RESULTED, Test.Status.REVIEWED, Test.Status.APPROVED) for s in live):
        return Status.IN_REVIEW
    if any(s != Test.Status.PENDING for s in live):
        return Status.IN_TESTING
    return Status.RECEIVED


def sample_sync_status(sample: Sample, *, actor) -> None:
    """Move the sample along the workflow as its tests progress, and its application after it."""
    # One query reads the sample's current row and its tests' statuses.
    rows = list(Test.objects.filter(sample_id=sample.pk)
                .values_list("status", "sample__status", "sample__version"))
    if not rows:
        return
    sample.status, sample.version = rows[0][1], rows[0][2]
    if sample.status in (Status.REJECTED, Status.CANCELLED, Status.REPORTED):
        return
    new_status = sample_progress([status for status, _, _ in rows])
    if new_status == sample.status:
        return
    before = sample.status
    sample.status = new_status
    save_versioned(sample, None, ["status"])
    audit_record(actor=actor, action="sample_status", entity=sample,
                 before={"status": before}, after={"status": new_status})
    application_sync_status(sample.application, actor=actor)
