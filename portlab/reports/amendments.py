"""Report corrections (更正): reopen chosen tests and correct application or sample data, with a
reason; the next issue of the application's report publishes the corrected version, stating
what changed and why, and supersedes the old one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.versioning import save_versioned
from portlab.intake.models import Application, Sample, Status
from portlab.reports import content
from portlab.reports.guards import guard_report_amend, require_reason
from portlab.reports.models import Amendment, Report
from portlab.testing.models import Test
from portlab.testing.rollup import application_sync_status, sample_sync_status
from portlab.testing.services import test_reopen

APPLICATION = "application"
# The data a correction may change, with the label the report prints beside it.
APPLICATION_FIELDS = {"goods_description": gettext_lazy("Goods")}
SAMPLE_FIELDS = {"description": gettext_lazy("Sample description"),
                 "quantity": gettext_lazy("Quantity")}


@dataclass(frozen=True)
class Correction:
    """A new value for one field of the application ("application") or of a sample (its
    number)."""

    subject: str
    field: str
    value: str


def open_amendment(report: Report) -> Amendment | None:
    return Amendment.objects.filter(report=report, status=Amendment.Status.OPEN).first()


def application_open_amendment(application: Application) -> Amendment | None:
    """The correction under way for the application's current report, if any."""
    return (Amendment.objects.select_related("report")
            .filter(report__application=application, status=Amendment.Status.OPEN).first())


def guard_amendment_open(*, actor: User, obj: Report) -> None:
    """A signatory of the lab corrects the current issued version, one correction at a time."""
    guard_report_amend(actor=actor, obj=obj)
    if open_amendment(obj) is not None:
        raise ApplicationError(
            _("Report %(number)s is already being corrected; issue the corrected version "
              "first.") % {"number": obj.number}, field="report")


def _target(application: Application, correction: Correction
            ) -> tuple[Application | Sample, str]:
    """The row a correction writes and the label of its field; refuses unknown ones."""
    if correction.subject == APPLICATION and correction.field in APPLICATION_FIELDS:
        return application, str(APPLICATION_FIELDS[correction.field])
    sample = Sample.objects.filter(application=application, number=correction.subject).first()
    if sample is None or correction.field not in SAMPLE_FIELDS:
        raise ApplicationError(_("“%(field)s” of “%(subject)s” cannot be corrected here.")
                               % {"field": correction.field, "subject": correction.subject},
                               field=correction.field)
    return sample, f"{sample.number} {SAMPLE_FIELDS[correction.field]}"


def _checked(application: Application, corrections: list[Correction]) -> list[tuple]:
    """(row, field, label, before, after) for every correction that changes something."""
    changed = []
    for correction in corrections:
        row, label = _target(application, correction)
        value, before = correction.value.strip(), getattr(row, correction.field)
        if value == before:
            continue
        limit = getattr(row._meta.get_field(correction.field), "max_length", None)
        if correction.field != "quantity" and not value:
            raise ApplicationError(_("%(field)s: give the corrected value.") % {"field": label},
                                   field=correction.field)
        if limit and len(value) > limit:
            raise ApplicationError(_("%(field)s: at most %(limit)s characters.")
                                   % {"field": label, "limit": limit}, field=correction.field)
        changed.append((row, correction.field, label, before, value))
    return changed


def _reopened_tests(application: Application, test_ids: list[int]) -> list[Test]:
    tests = [test for test in content.approved_tests(application) if test.pk in set(test_ids)]
    if len(tests) != len(set(test_ids)):
        raise ApplicationError(_("Only approved results on this report can be reopened."),
                               field="tests")
    return tests


def _printed_before(report: Report, application: Application, tests: list[Test]) -> list[dict]:
    """Each reopened result as the report printed it, to state what changed later."""
    if not tests:
        return []
    language = Report.Language.CHINESE if report.language == "zh-en" else report.language
    with translation.override(language):
        rows = content.table_rows(application, tests)
    return [{"sample": row.sample, "test_item": row.test_item, "test_item_id": test.test_item_id,
             "before": _printed(row)} for test, row in zip(tests, rows, strict=True)]


def _printed(row: content.TableRow) -> str:
    unit = "" if row.unit == content.NO_ENTRY else row.unit
    return f"{row.value} {unit}".strip().replace("\n", " / ")


def _apply(actor: User, changed: list[tuple], reason: str) -> list[dict]:
    corrections = []
    for row, field, _label_text, before, after in changed:
        setattr(row, field, after)
        save_versioned(row, None, [field])
        audit_record(actor=actor, action="report_correction", entity=row,
                     before={field: before}, after={field: after}, reason=reason)
        subject = APPLICATION if isinstance(row, Application) else row.number
        corrections.append({"subject": subject, "field": field,
                            "before": before, "after": after})
    return corrections


def _reopen_samples(actor: User, application: Application, tests: list[Test]) -> None:
    """Reported samples leave "reported"; those with a reopened test go back to testing."""
    for sample in application.samples.filter(status=Status.REPORTED):
        sample.status = Status.APPROVED
        save_versioned(sample, None, ["status"])
        audit_record(actor=actor, action="sample_status", entity=sample,
                     before={"status": Status.REPORTED}, after={"status": Status.APPROVED})
    for sample in {test.sample_id: test.sample for test in tests}.values():
        sample_sync_status(sample, actor=actor)
    application_sync_status(application, actor=actor)


@transaction.atomic
def amendment_open(*, actor: User, report: Report, reason: str, test_ids: list[int],
                   corrections: list[Correction]) -> Amendment:
    """Start correcting an issued report: reopen the chosen tests for re-entry (review and
    approval again) and write the corrected data, with the reason. The report stays valid
    until the corrected version is issued. Nothing chosen, or no reason: refused."""
    guard_amendment_open(actor=actor, obj=report)
    reason = require_reason(reason)
    application = Application.objects.select_for_update().get(pk=report.application_id)
    changed = _checked(application, corrections)
    tests = _reopened_tests(application, test_ids)
    if not changed and not tests:
        raise ApplicationError(_("Choose the results to reopen or correct a value; nothing "
                                 "would change."), field="tests")
    reopened = _printed_before(report, application, tests)
    applied = _apply(actor, changed, reason)
    for test in tests:
        test_reopen(actor=actor, test=test, reason=reason)
    _reopen_samples(actor, application, tests)
    amendment = Amendment.objects.create(report=report, reason=reason, opened_by=actor,
                                         opened_at=timezone.now(), corrections=applied,
                                         reopened=reopened)
    audit_record(actor=actor, action="report_amendment_open", entity=report, reason=reason,
                 after={"corrections": len(applied), "reopened": len(reopened)})
    return amendment


def change_lines(amendment: Amendment, rows: list[content.TableRow],
                 tests: list[Test]) -> list[str]:
    """What the corrected version changes, in the active language: "label: before → after"
    (a result's value before is as the corrected version printed it)."""
    lines = [_("%(label)s: “%(before)s” → “%(after)s”")
             % {"label": _label(item), "before": item["before"], "after": item["after"]}
             for item in amendment.corrections]
    now = {(test.sample.number, test.test_item_id): row
           for test, row in zip(tests, rows, strict=True)}
    for item in amendment.reopened:
        row = now.get((item["sample"], item.get("test_item_id")))
        lines.append(_("%(item)s, sample %(sample)s: %(before)s → %(after)s")
                     % {"item": row.test_item.replace("\n", " / ") if row else item["test_item"],
                        "sample": item["sample"], "before": item["before"],
                        "after": _printed(row) if row else content.NO_ENTRY})
    return lines


def _label(item: dict) -> str:
    fields = APPLICATION_FIELDS if item["subject"] == APPLICATION else SAMPLE_FIELDS
    label = str(fields.get(item["field"], item["field"]))
    return label if item["subject"] == APPLICATION else f"{item['subject']} {label}"
