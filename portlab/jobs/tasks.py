"""The one queued task: run a recorded job by its id (idempotent, see services.job_run)."""

from django_tasks import task

from portlab.jobs.services import job_run


@task()
def run_job(job_id: str) -> None:
    job_run(job_id)
