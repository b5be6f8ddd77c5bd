"""Reading jobs: a person's own runs, and one run's state as its page's poll and the JSON API
give it. Each person sees the jobs they started (`services.job_get` finds one)."""

from typing import Any

from django.db.models import QuerySet

from portlab.jobs.models import JobRun
from portlab.jobs.registry import outcome_links


def jobs_started_by(*, actor, limit: int = 50) -> QuerySet[JobRun]:
    """The person's latest runs, newest first."""
    return JobRun.objects.filter(started_by_id=getattr(actor, "pk", None))[:limit]


def job_status(run: JobRun, user) -> dict[str, Any]:
    """State, progress, message, outcome, errors by line or item, and the outcome's links."""
    return {"id": str(run.pk), "kind": run.kind, "state": run.state,
            "state_label": run.get_state_display(), "done": run.done, "total": run.total,
            "percent": run.percent, "message": run.message, "errors": run.errors,
            "outcome": run.outcome, "finished": run.state in JobRun.FINISHED,
            "links": [{"label": label, "url": url} for label, url in outcome_links(run, user)]}
