"""Background jobs in the JSON API: a person's own jobs, and one job's state to poll. The routes
that start a job answer 202 with `job_out` of the new run."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from portlab.jobs.models import JobRun
from portlab.jobs.selectors import job_status, jobs_started_by
from portlab.jobs.services import job_get

router = Router()


class JobLink(Schema):
    label: str
    url: str


class JobOut(Schema):
    id: str
    kind: str
    state: str  # queued, running, succeeded, failed or cancelled
    state_label: str
    finished: bool
    done: int
    total: int | None
    percent: int | None
    message: str
    outcome: dict[str, Any]
    errors: list[dict[str, Any]]  # each with its "line" (or "item") and "reason"
    links: list[JobLink]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    url: str  # this job in the API: poll it until `finished`
    page: str  # the job's page, with its progress bar and cancel button


def job_out(run: JobRun, user) -> JobOut:
    return JobOut(**job_status(run, user), created_at=run.created_at, started_at=run.started_at,
                  finished_at=run.finished_at,
                  url=reverse("api:job_read", kwargs={"job_id": run.pk}),
                  page=reverse("job_detail", kwargs={"job_id": run.pk}))


@router.get("/jobs", response=list[JobOut])
def job_list(request: HttpRequest):
    """The caller's latest 50 jobs, newest first."""
    return [job_out(run, request.user) for run in jobs_started_by(actor=request.user)]


@router.get("/jobs/{job_id}", response=JobOut, url_name="job_read")
def job_read(request: HttpRequest, job_id: str):
    """One of the caller's jobs (another person's answers 404, as on its page)."""
    return job_out(job_get(job_id=job_id, actor=request.user), request.user)
