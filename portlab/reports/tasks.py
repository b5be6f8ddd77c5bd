"""Long report work run by the worker: issuing a batch of reports under one signature."""

from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.jobs.registry import job
from portlab.reports import batch


@job("report_batch")
def report_batch_job(run, progress) -> dict:
    """Each report is issued and signed in its own transaction; one that cannot be issued is
    listed with its reason and the others go on. Cancelling stops before the next report."""
    grant = batch.grant_check(run)
    total = len(grant.applications)
    counts, errors = {"issued": 0, "already": 0, "refused": 0}, []
    progress(0, total, _("Issuing %d reports") % total, force=True)
    for done, number in enumerate(grant.applications, start=1):
        try:
            counts[batch.report_batch_issue_one(grant=grant, number=number,
                                                since=run.created_at)] += 1
        except ApplicationError as error:
            counts["refused"] += 1
            errors.append({"item": number, "reason": error.message})
        progress(done, total, _("%(done)d of %(total)d applications")
                 % {"done": done, "total": total}, force=done == total)
    return {**counts, "errors": errors}
