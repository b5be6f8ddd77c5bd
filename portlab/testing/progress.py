"""Progress timelines of an application, its samples and their tests, read from the audit
trail: each status a record has reached, and when it last entered it."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portlab.audit.labels import with_labels
from portlab.audit.models import AuditEvent
from portlab.intake.models import Application, Sample, Status
from portlab.testing.models import Test

APPLICATION_STEPS: list[tuple[str, Promise]] = [
    (Status.SUBMITTED, _("Submitted")), (Status.RECEIVED, _("Received")),
    (Status.IN_TESTING, _("In testing")), (Status.IN_REVIEW, _("In review")),
    (Status.APPROVED, _("Approved")), (Status.REPORTED, _("Report issued")),
]
TEST_STEPS: list[tuple[str, Promise]] = [
    (Test.Status.PENDING, _("Waiting for an analyst")), (Test.Status.ASSIGNED, _("In testing")),
    (Test.Status.RESULTED, _("In review")), (Test.Status.REVIEWED, _("Reviewed")),
    (Test.Status.APPROVED, _("Approved")),
]
STOPPED = {Status.REJECTED: _("Rejected"), Status.CANCELLED: _("Cancelled"),
           Test.Status.RETRACTED: _("Retracted (retested)")}


@dataclass
class Step:
    key: str
    label: Promise
    at: datetime | None
    state: str  # done, current, pending or stopped


@dataclass
class Timeline:
    status: str
    steps: list[Step]


@dataclass
class TestProgress:
    test: Test
    timeline: Timeline


@dataclass
class SampleProgress:
    sample: Sample
    timeline: Timeline
    tests: list[TestProgress] = field(default_factory=list)


@dataclass
class ApplicationProgress:
    application: Application
    timeline: Timeline
    samples: list[SampleProgress]


def timeline(steps: list[tuple[str, Promise]], status: str,
             entered: dict[str, datetime]) -> Timeline:
    """Steps up to the current status are done (with the time they were last entered),
    later ones pending; a rejected, cancelled or retracted record stops after what it did."""
    keys = [key for key, _label in steps]
    if status not in keys:
        done = [Step(key, label, entered[key], "done") for key, label in steps if key in entered]
        stop = Step(status, STOPPED.get(status, status), entered.get(status), "stopped")
        return Timeline(status, [*done, stop])
    current = keys.index(status)
    rows = []
    for index, (key, label) in enumerate(steps):
        if index > current:
            rows.append(Step(key, label, None, "pending"))
        else:
            last = index == current and index < len(steps) - 1
            rows.append(Step(key, label, entered.get(key), "current" if last else "done"))
    return Timeline(status, rows)


def _entered_statuses(application: Application, sample_ids: list[int],
                      test_ids: list[int]) -> dict[tuple[str, str], dict[str, datetime]]:
    """(entity type, id) → {status: when the record last entered it}, from one query."""
    events = AuditEvent.objects.filter(
        Q(entity_type="application", entity_id=str(application.pk))
        | Q(entity_type="sample", entity_id__in=[str(i) for i in sample_ids])
        | Q(entity_type="test", entity_id__in=[str(i) for i in test_ids])
    ).order_by("id").only("at", "entity_type", "entity_id", "after")
    entered: dict[tuple[str, str], dict[str, datetime]] = {}
    for event in events:
        status = (event.after or {}).get("status")
        if status:
            entered.setdefault((event.entity_type, event.entity_id), {})[status] = event.at
    return entered


def audit_trail(application: Application) -> list[AuditEvent]:
    """The events on the application and its samples, for lab staff, each with the names of
    its action and of the status it reached (`action_label`, `status_label`)."""
    sample_ids = [str(pk) for pk in application.samples.values_list("pk", flat=True)]
    return with_labels(AuditEvent.objects.filter(
        Q(entity_type="application", entity_id=str(application.pk))
        | Q(entity_type="sample", entity_id__in=sample_ids)).order_by("id"),
        status=dict(Status.choices))


def application_progress(application: Application) -> ApplicationProgress:
    """Timelines for the application, each sample and each test (retests included)."""
    samples = list(application.samples.order_by("number"))
    tests = list(Test.objects.filter(sample__in=samples).select_related("test_item")
                 .order_by("id"))
    entered = _entered_statuses(application, [s.pk for s in samples], [t.pk for t in tests])
    own = entered.get(("application", str(application.pk)), {})
    own.setdefault(Status.SUBMITTED, application.submitted_at)
    by_sample = {s.pk: SampleProgress(s, _sample_timeline(s, application, entered))
                 for s in samples}
    for test in tests:
        times = dict(entered.get(("test", str(test.pk)), {}))
        times.setdefault(Test.Status.PENDING, test.created_at)
        by_sample[test.sample_id].tests.append(
            TestProgress(test, timeline(TEST_STEPS, test.status, times)))
    return ApplicationProgress(application, timeline(APPLICATION_STEPS, application.status, own),
                               list(by_sample.values()))


def _sample_timeline(sample: Sample, application: Application,
                     entered: dict[tuple[str, str], dict[str, datetime]]) -> Timeline:
    times = dict(entered.get(("sample", str(sample.pk)), {}))
    times.setdefault(Status.SUBMITTED, application.submitted_at)
    return timeline(APPLICATION_STEPS, sample.status, times)


# The public look-up: status and dates only.

@dataclass
class PublicSample:
    number: str
    status_label: str
    timeline: Timeline


@dataclass
class PublicProgress:
    number: str
    status_label: str
    timeline: Timeline
    samples: list[PublicSample]


UNKNOWN_CODE = "0" * 16  # compared against when the number is unknown, to take the same time


def public_progress(number: str, query_code: str) -> PublicProgress | None:
    """Status of an application for anyone holding its number and query code; None when either
    is wrong, so a wrong code cannot be told apart from an unknown number."""
    application = Application.objects.filter(number=number.strip().upper()).first()
    expected = application.query_code if application else UNKNOWN_CODE
    matches = secrets.compare_digest(expected.encode(), query_code.strip().lower().encode())
    if application is None or not matches:
        return None
    progress = application_progress(application)
    return PublicProgress(
        number=application.number, status_label=application.get_status_display(),
        timeline=progress.timeline,
        samples=[PublicSample(p.sample.number, p.sample.get_status_display(), p.timeline)
                 for p in progress.samples],
    )
