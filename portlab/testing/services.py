"""Tests and results: creation at reception, assignment, result entry, review and approval."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import Signature, User
from portlab.accounts.signatures import Credential, Signed, signatures_sign, signed
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, ConflictError, PermissionDenied
from portlab.core.rows import insert_row, value_where
from portlab.core.versioning import save_versioned
from portlab.intake.models import Sample
from portlab.intake.services import standard_due_date
from portlab.network.placement import capability_placement_require
from portlab.network.selectors import capabilities_for_items
from portlab.quality.models import Duty
from portlab.quality.services import authorization_require, qc_approval_require
from portlab.testing.models import Result, Review, Test
from portlab.testing.results import ResultInput, build_result
from portlab.testing.rollup import moves_sample, sample_sync_status


def tests_create_for_sample(sample: Sample) -> list[Test]:
    """One test per requested item, at the application's lab, with the capability it holds."""
    application = sample.application
    item_ids = list(application.items.values_list("test_item_id", flat=True))
    chosen = capabilities_for_items(application.lab, item_ids, application.requires_accreditation)
    for item_id in item_ids:
        capability_placement_require(chosen[item_id], field="tests")
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


def _transition(test: Test, actor: User, action: str, new_status: str, expected_version: int | None,
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
def test_assign(*, actor: User, test: Test, analyst, expected_version: int | None = None,
                standing_rule: str = "") -> Test:
    """Give a test to an analyst of its lab (lab manager or reception clerk); `standing_rule`
    names the standing assignment it follows, if any (written in the audit event)."""
    guard_test_assign(actor=actor, obj=test)
    if not access.may(analyst, "result.enter", lab=test.lab):
        raise ApplicationError(
            _("%(user)s is not an analyst at %(lab)s.") % {"user": analyst, "lab": test.lab.name},
            field="analyst",
        )
    capability_placement_require(test.capability, field="test")
    authorization_require(analyst, test.capability, Duty.TESTING, field="analyst")
    _transition(test, actor, "test_assign", Test.Status.ASSIGNED, expected_version,
                extra={"analyst": analyst},
                details={"standing_rule": standing_rule} if standing_rule else None)
    sample_sync_status(test.sample, actor=actor)
    return test


def guard_test_assign(*, actor: User, obj: Test) -> None:
    """The lab manager or a reception clerk of the test's lab assigns a waiting test."""
    access.require(actor, "test.assign", lab=obj.lab)
    _require_status(obj, Test.Status.PENDING, Test.Status.ASSIGNED)


def guard_enter_result(*, actor: User, obj: Test) -> None:
    """The analyst the test is assigned to enters or corrects its result."""
    test = obj
    access.require(actor, "result.enter", lab=test.lab)
    if test.analyst_id != actor.pk:
        raise PermissionDenied(_("This test is assigned to another analyst."))
    _require_status(test, Test.Status.ASSIGNED, Test.Status.RESULTED)


@transaction.atomic
def result_enter(
    *, actor: User, test: Test, data: ResultInput, reason: str = "",
    expected_version: int | None = None, raw_file=None,
) -> Result:
    """Record (or correct) the result of a test and judge it against its specification.

    A result already submitted can be changed only with a reason; `expected_version` is the
    result's version for a change, the test's for a first entry. A value typed by the
    analyst is produced and confirmed by them; `raw_file` is its attachment (files.RawFile).
    """
    guard_enter_result(actor=actor, obj=test)
    status_before = test.status
    existing = next(iter(Result.objects.filter(test_id=test.pk)), None)
    before = result_snapshot(existing) if existing else None
    result = build_result(test, data, existing)
    result.entered_by, result.entered_at = actor, timezone.now()
    result.source, result.produced_by, result.produced_by_agent = Result.Source.MANUAL, actor, ""
    result.confirmed_by, result.confirmed_at = actor, result.entered_at
    result.raw_file = raw_file
    if existing is None:
        insert_row(result)
        # One event records the first result and the test's move to "resulted".
        _transition(test, actor, "result_submit", Test.Status.RESULTED, expected_version,
                    details={"result": result_snapshot(result)})
    else:
        _change_result(actor, test, result, before, reason, expected_version)
    if moves_sample(status_before, test.status):
        sample_sync_status(test.sample, actor=actor)
    return result


def _change_result(actor: User, test: Test, result: Result, before: dict | None, reason: str,
                   expected_version: int | None) -> None:
    if not reason.strip():
        raise ApplicationError(_("Changing a submitted result needs a reason."), field="reason")
    save_versioned(result, expected_version, RESULT_FIELDS)
    if test.status != Test.Status.RESULTED:
        _transition(test, actor, "result_submit", Test.Status.RESULTED, None)
    else:
        # The test's version covers its result: a reviewer who saw the old value is refused.
        save_versioned(test, None, [])
    audit_record(actor=actor, action="result_change", entity=result, before=before,
                 after=result_snapshot(result), reason=reason.strip())


# reported_value too: a corrected result must print its new rounded value, not the old one.
RESULT_FIELDS = ["kind", "entered_value", "entered_unit", "value", "reported_value", "unit",
                 "uncertainty", "coverage_factor", "text", "conformity", "decision_rule",
                 "entered_by", "entered_at", "source", "produced_by", "produced_by_agent",
                 "confirmed_by", "confirmed_at", "raw_file"]


def result_snapshot(result: Result) -> dict:
    return {"kind": result.kind, "value": result.entered_value, "unit": result.entered_unit,
            "reported": result.value, "reported_unit": result.unit,
            "uncertainty": result.uncertainty, "coverage_factor": result.coverage_factor,
            "text": result.text,
            "conformity": result.conformity}


def guard_test_review(*, actor: User, obj: Test) -> None:
    """复核: a reviewer of the lab, authorized to review, not the analyst, checks a result."""
    _guard_review(actor, obj, "test.review", Test.Status.RESULTED, Duty.REVIEW)


def guard_test_approve(*, actor: User, obj: Test) -> None:
    """批准: an authorized signatory of the lab, not the analyst, approves a reviewed result."""
    _guard_review(actor, obj, "test.approve", Test.Status.REVIEWED, Duty.SIGNING)


def _guard_review(actor: User, test: Test, action: str, status: str, duty: str) -> None:
    access.require(actor, action, lab=test.lab)
    _require_status(test, status)
    entered_by = value_where(Result, "entered_by", "test", test.pk)  # one result per test
    if actor.pk in (test.analyst_id, entered_by):
        raise PermissionDenied(_("The analyst who produced a result cannot also check it."))
    authorization_require(actor, test.capability, duty)


def _guard_approval(actor: User, test: Test) -> None:
    guard_test_approve(actor=actor, obj=test)
    if not test.lab.distinct_reviewer_and_approver:
        return
    review = (test.reviews.filter(stage=Review.Stage.REVIEW, decision=Review.Decision.ACCEPT)
              .order_by("-at", "-id").first())
    if review is not None and review.reviewer_id == actor.pk:
        raise PermissionDenied(
            _("You reviewed test %s; another signatory must approve it.") % test.pk)


def _require_seen_version(test: Test, seen_version: int) -> None:
    """Four-eyes holds on what the person saw: refuse a decision on a test (or its result)
    changed since the page or the client loaded it, and say what it is now and who changed it."""
    if seen_version == test.version:
        return
    result = Result.objects.filter(test=test).select_related("entered_by").first()
    now = (f"{result.entered_value or result.text or result.get_kind_display()} "
           f"{result.entered_unit}".strip() if result else "—")
    changed_by = str(result.entered_by) if result else "—"
    raise ConflictError(
        _("Test %(test)s changed since you loaded it (your version %(seen)s, now %(version)s): "
          "its result is now %(value)s, entered by %(who)s. Check it again before deciding.")
        % {"test": test.pk, "seen": seen_version, "version": test.version, "value": now,
           "who": changed_by},
        field="version",
        extra={"current": {"version": test.version, "status": test.status, "result": now,
                           "changed_by": changed_by}},
    )


@dataclass(frozen=True)
class Seen:
    """A test and the version of it the person saw when deciding."""

    test: Test
    version: int


def guard_test_decision(*, actor: User, item: "Seen", stage: str, decision: str) -> None:
    """Whether `actor` may record `decision` at `stage` on the test as seen: the review or
    approval guard, the QC gate for an approval, and the version the person saw (a bulk
    action asks it of each ticked test and refuses only those that fail)."""
    if stage == Review.Stage.REVIEW:
        guard_test_review(actor=actor, obj=item.test)
    else:
        _guard_approval(actor, item.test)
        if decision == Review.Decision.ACCEPT:
            qc_approval_require(item.test)
    _require_seen_version(item.test, item.version)


def _decide_many(actor: User, seen: list[Seen], stage: str, decision: str, comment: str,
                 credential: Credential | None) -> list[Test]:
    """Check every test, sign an acceptance once for all of them, then apply the decision."""
    for item in seen:
        guard_test_decision(actor=actor, item=item, stage=stage, decision=decision)
    accepted = (Test.Status.REVIEWED if stage == Review.Stage.REVIEW else Test.Status.APPROVED)
    if decision == Review.Decision.ACCEPT:
        meaning = (Signature.Meaning.REVIEWED if stage == Review.Stage.REVIEW
                   else Signature.Meaning.APPROVED)
        signatures_sign(signer=actor, credential=credential or Credential(), meaning=meaning,
                        records=[Signed(item.test, item.version) for item in seen])
    return [_apply_decision(actor, item.test, stage, decision, comment, item.version, accepted)
            for item in seen]


def _apply_decision(actor: User, test: Test, stage: str, decision: str, comment: str,
                    expected_version: int | None, accepted_status: str) -> Test:
    if decision not in Review.Decision.values:
        raise ApplicationError(_("Unknown decision “%s”.") % decision, field="decision")
    if decision != Review.Decision.ACCEPT and not comment.strip():
        raise ApplicationError(_("Say why the result goes back."), field="comment")
    insert_row(Review(test=test, stage=stage, decision=decision, reviewer=actor,
                      at=timezone.now(), comment=comment.strip()))
    before = test.status
    if decision == Review.Decision.ACCEPT:
        approved = accepted_status == Test.Status.APPROVED
        extra = {"completed_at": timezone.now()} if approved else None
        _transition(test, actor, f"test_{stage}", accepted_status, expected_version, extra=extra)
    elif decision == Review.Decision.RETURN:
        _transition(test, actor, f"test_{stage}_return", Test.Status.ASSIGNED, expected_version,
                    reason=comment)
    else:
        _retest(actor, test, expected_version, comment)
    if decision == Review.Decision.RETEST or moves_sample(before, test.status):
        sample_sync_status(test.sample, actor=actor)
    return test


def _retest(actor: User, test: Test, expected_version: int | None, comment: str) -> Test:
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


@signed
@transaction.atomic
def tests_review(*, actor: User, seen: list[Seen], decision: str, comment: str = "",
                 credential: Credential | None = None) -> list[Test]:
    """复核 of one or many tests: accept (an electronic signature, "reviewed"), return to the
    analyst, or order a retest. Each test must still be at the version the reviewer saw."""
    return _decide_many(actor, seen, Review.Stage.REVIEW, decision, comment, credential)


@signed
@transaction.atomic
def tests_approve(*, actor: User, seen: list[Seen], decision: str, comment: str = "",
                  credential: Credential | None = None) -> list[Test]:
    """批准 of one or many reviewed tests by an authorized signatory other than the reviewer
    (unless the lab allows it): accept (a signature, "approved") or send back."""
    return _decide_many(actor, seen, Review.Stage.APPROVAL, decision, comment, credential)


def test_review(*, actor: User, test: Test, decision: str, expected_version: int,
                comment: str = "", credential: Credential | None = None) -> Test:
    """复核 of one test (see tests_review)."""
    return tests_review(actor=actor, seen=[Seen(test, expected_version)], decision=decision,
                        comment=comment, credential=credential)[0]


def test_approve(*, actor: User, test: Test, decision: str, expected_version: int,
                 comment: str = "", credential: Credential | None = None) -> Test:
    """批准 of one test (see tests_approve)."""
    return tests_approve(actor=actor, seen=[Seen(test, expected_version)], decision=decision,
                         comment=comment, credential=credential)[0]


def guard_test_reopen(*, actor: User, obj: Test) -> None:
    """A signatory of the reporting lab reopens an approved test to correct its report."""
    access.require(actor, "report.amend", lab=obj.sample.application.lab)
    _require_status(obj, Test.Status.APPROVED)


def test_reopen(*, actor: User, test: Test, reason: str) -> Test:
    """Send an approved test back to its analyst for re-entry (a report correction): it shows
    as returned with the reason, and review and approval start again. Its sample is moved by
    the caller, which knows why the sample left "reported"."""
    guard_test_reopen(actor=actor, obj=test)
    Review.objects.create(test=test, stage=Review.Stage.APPROVAL,
                          decision=Review.Decision.RETURN, reviewer=actor, at=timezone.now(),
                          comment=reason)
    _transition(test, actor, "test_reopen", Test.Status.ASSIGNED, None, reason=reason,
                extra={"completed_at": None})
    return test
