"""The status roll-up: a sample's status follows its tests, an application's follows its samples.

Every move of a test, a sample or an application calls one of the *_sync_status functions here;
sample_progress and derived_status are the rules themselves, free of the database."""

from collections import defaultdict

from django.db import router, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import Entry, audit_record, audit_record_many
from portlab.core.chunks import chunks
from portlab.core.errors import ConflictError
from portlab.core.versioning import save_versioned
from portlab.intake.models import DROPPED_STATUSES, Application, Sample, Status
from portlab.testing.models import LIVE_TEST_STATUSES, Test

CHUNK = 500
# Order in which an application's status follows the least advanced of its live samples.
PROGRESS: list[str] = [Status.SUBMITTED, Status.RECEIVED, Status.IN_TESTING, Status.IN_REVIEW,
            Status.APPROVED, Status.REPORTED]
# A sample in one of these no longer follows its tests.
SAMPLE_FINAL = (*DROPPED_STATUSES, Status.REPORTED)
REVIEW_STAGE = (Test.Status.RESULTED, Test.Status.REVIEWED, Test.Status.APPROVED)


def sample_progress(test_statuses: list[str]) -> str:
    """The status a received sample has reached, from the statuses of its tests."""
    live = [s for s in test_statuses if s in LIVE_TEST_STATUSES]
    if not live:
        return Status.RECEIVED
    if all(s == Test.Status.APPROVED for s in live):
        return Status.APPROVED
    if all(s in REVIEW_STAGE for s in live):
        return Status.IN_REVIEW
    if any(s != Test.Status.PENDING for s in live):
        return Status.IN_TESTING
    return Status.RECEIVED


def _progress_facts(status: str) -> tuple[bool, bool, bool, bool]:
    """What sample_progress reads of one test's status."""
    return (status in LIVE_TEST_STATUSES, status == Test.Status.APPROVED,
            status in REVIEW_STAGE, status != Test.Status.PENDING)


def moves_sample(before: str, after: str) -> bool:
    """Whether a test moving from `before` to `after` can change its sample's status: not when
    sample_progress reads both the same (a review moves a test from "resulted" to "reviewed",
    both "in review" for the sample), whatever the sample's other tests are."""
    return _progress_facts(before) != _progress_facts(after)


def derived_status(sample_statuses: list[str]) -> str:
    """The status an application has reached, from the statuses of its samples."""
    live = [s for s in sample_statuses if s not in DROPPED_STATUSES]
    if not live:
        return Status.REJECTED if Status.REJECTED in sample_statuses else Status.CANCELLED
    return min(live, key=PROGRESS.index)


def application_sync_status(application: Application, *, actor: User) -> None:
    """Move the application to the status its samples have reached, and audit the change."""
    application.refresh_from_db(fields=["status", "version"])
    statuses = list(application.samples.values_list("status", flat=True))
    new_status = derived_status(statuses)
    if new_status == application.status:
        return
    before = application.status
    application.status = new_status
    save_versioned(application, None, ["status"])
    audit_record(actor=actor, action="application_status", entity=application,
                 before={"status": before}, after={"status": new_status})


def sample_sync_status(sample: Sample, *, actor: User) -> None:
    """Move the sample along the workflow as its tests progress, and its application after it."""
    rows = _test_statuses(sample.pk)
    if not rows:
        return
    sample.status, sample.version = rows[0][1], rows[0][2]
    if sample.status in SAMPLE_FINAL:
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


def _test_statuses(sample_id: int) -> list[tuple[str, str, int]]:
    """(test status, sample status, sample version) for each distinct status of the sample's
    tests: one query reads the sample's current row and what its tests have reached."""
    db = transaction.get_connection(router.db_for_read(Test))
    with db.cursor() as cursor:
        cursor.execute(_statuses_statement(db), [sample_id])
        return list(cursor.fetchall())


_statements: dict[str, str] = {}


def _statuses_statement(db) -> str:
    """Built once per database: every result entry and many transitions run it, and the ORM
    would spend several times the database's own time rebuilding it."""
    if db.vendor not in _statements:
        quote = db.ops.quote_name
        tests, samples = quote(Test._meta.db_table), quote(Sample._meta.db_table)
        _statements[db.vendor] = (
            f"SELECT DISTINCT t.{quote('status')}, s.{quote('status')}, s.{quote('version')} "
            f"FROM {tests} t INNER JOIN {samples} s ON s.{quote('id')} = t.{quote('sample_id')} "
            f"WHERE t.{quote('sample_id')} = %s")
    return _statements[db.vendor]


def _sample_moves(actors: dict[int, User]) -> tuple[dict[tuple[str, str], list[int]],
                                                    dict[int, User]]:
    """(status before, status after) -> samples that move so, and the applications to follow
    (id -> who moved them), reading the tests with one query per chunk."""
    changes: dict[tuple[str, str], list[int]] = defaultdict(list)
    applications: dict[int, User] = {}
    for chunk in chunks(sorted(actors), CHUNK):
        statuses: dict[int, list[str]] = defaultdict(list)
        current: dict[int, tuple[str, int]] = {}
        for sample_id, status, sample_status, application_id in (
                Test.objects.filter(sample_id__in=chunk).values_list(
                    "sample_id", "status", "sample__status", "sample__application_id")):
            statuses[sample_id].append(status)
            current[sample_id] = (sample_status, application_id)
        for sample_id, (sample_status, application_id) in current.items():
            if sample_status in SAMPLE_FINAL:
                continue
            new_status = sample_progress(statuses[sample_id])
            if new_status != sample_status:
                changes[(sample_status, new_status)].append(sample_id)
                applications.setdefault(application_id, actors[sample_id])
    return changes, applications


def samples_sync_status(actors: dict[int, User]) -> None:
    """sample_sync_status for many samples (id -> who moved them): moves each changed group
    with one UPDATE, audits each sample, then follows their applications."""
    changes, applications = _sample_moves(actors)
    events = []
    for (before, after), sample_ids in changes.items():
        for chunk in chunks(sample_ids, CHUNK):
            moved = Sample.objects.filter(pk__in=chunk, status=before).update(
                status=after, version=F("version") + 1)
            if moved != len(chunk):
                raise ConflictError(_("Some of these samples were changed by someone else "
                                      "meanwhile. Send the file again."), field="file")
        events += [Entry(actor=actors[pk], action="sample_status", entity=Sample(pk=pk),
                         before={"status": before}, after={"status": after})
                   for pk in sample_ids]
    audit_record_many(events)
    for application in Application.objects.filter(pk__in=list(applications)).order_by("pk"):
        application_sync_status(application, actor=applications[application.pk])
