"""Issuing the reports of many approved applications as one background job.

The signatory re-enters their password (or a code) once, when submitting the batch. What the
job keeps is a grant signed with the site's key: the job, the signer, how they proved who they
were and which applications they chose, valid for GRANT_MAX_AGE; never the password. The worker
checks the grant, then issues each report in its own transaction with the signature "issued"
recorded per report, so a killed worker leaves whole reports and a retry skips them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.accounts.signatures import Credential, reauthenticate, signed
from portlab.audit.services import Entry, audit_record_many
from portlab.core.errors import ApplicationError
from portlab.intake.models import Application
from portlab.jobs.models import JobRun
from portlab.jobs.services import job_start
from portlab.reports.models import Report
from portlab.reports.services import guard_issue, report_issue_authorised

GRANT_SALT = "portlab.reports.batch-grant"
GRANT_MAX_AGE = timedelta(hours=1)
BATCH_MAX = 200


@dataclass(frozen=True)
class Grant:
    """A checked grant: who signs, by which method, which applications, in which language."""

    signer: User
    method: str
    applications: list[str]
    language: str


def _chosen(numbers: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(number.strip() for number in numbers if number.strip()))
    if not chosen:
        raise ApplicationError(_("Choose at least one application to report."),
                               field="applications")
    if len(chosen) > BATCH_MAX:
        raise ApplicationError(_("A batch holds at most %(max)d applications; %(n)d were "
                                 "chosen.") % {"max": BATCH_MAX, "n": len(chosen)},
                               field="applications")
    return chosen


def _issuable(actor: User, numbers: list[str]) -> list[Application]:
    found = {a.number: a for a in Application.objects.select_related("lab")
             .filter(number__in=numbers)}
    for number in numbers:
        if number not in found:
            raise ApplicationError(_("Application %s is unknown here; nothing was signed.")
                                   % number, field="applications")
        guard_issue(actor=actor, obj=found[number])
    return [found[number] for number in numbers]


@signed
@transaction.atomic
def report_batch_start(*, actor: User, numbers: list[str], language: str,
                       credential: Credential) -> JobRun:
    """Check the choice and the signatory's password or code once, then queue the batch with
    its grant. A wrong credential or an application that cannot be reported queues nothing."""
    if language not in Report.Language.values:
        raise ApplicationError(_("Unknown report language “%s”.") % language, field="language")
    applications = _issuable(actor, _chosen(numbers))
    method = reauthenticate(actor, credential)
    chosen = [application.number for application in applications]
    run = job_start(kind="report_batch", actor=actor,
                    params={"applications": chosen, "language": language}, max_attempts=3)
    grant = signing.dumps({"job": str(run.pk), "signer": actor.pk, "method": method,
                           "applications": chosen, "language": language}, salt=GRANT_SALT)
    run.params = {**run.params, "grant": grant}
    run.save(update_fields=["params"])
    audit_record_many([Entry(actor, "report_batch_authorise", application, None,
                             {"job": str(run.pk), "method": method}, "")
                       for application in applications])
    return run


def grant_check(run: JobRun) -> Grant:
    """The run's grant, refused when altered, expired, or made for another job or person."""
    try:
        data = signing.loads(run.params.get("grant", ""), salt=GRANT_SALT,
                             max_age=GRANT_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ApplicationError(_("The signature for this batch has expired (it holds for %d "
                                 "minutes); submit the batch again.")
                               % (GRANT_MAX_AGE.total_seconds() // 60), field="grant") from error
    except signing.BadSignature as error:
        raise ApplicationError(_("This batch carries no valid signature; nothing was issued."),
                               field="grant") from error
    if data["job"] != str(run.pk) or data["signer"] != run.started_by_id:
        raise ApplicationError(_("This batch carries no valid signature; nothing was issued."),
                               field="grant")
    return Grant(run.started_by, data["method"], data["applications"], data["language"])


def report_batch_issue_one(*, grant: Grant, number: str, since) -> str:
    """Issue one application's report under the grant: "issued", or "already" when this
    batch issued it before (a retried job never issues a report twice). Raises on refusal."""
    application = Application.objects.select_related("lab").filter(number=number).first()
    if application is None:
        raise ApplicationError(_("Application %s no longer exists.") % number,
                               field="applications")
    if Report.objects.filter(application=application, issued_by=grant.signer,
                             issued_at__gte=since).exists():
        return "already"
    report_issue_authorised(actor=grant.signer, application=application,
                            method=grant.method, language=grant.language)
    return "issued"
