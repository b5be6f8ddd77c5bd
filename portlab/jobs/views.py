"""A job's page (progress bar, cancel, outcome), its status as JSON, and the schedule."""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portlab.core.views import attempt
from portlab.jobs.models import JobRun, ScheduledRun
from portlab.jobs.schedule import SCHEDULE
from portlab.jobs.services import job_cancel, job_get

# What a job's outcome counts, in the user's words (keys are the handlers' outcome keys).
OUTCOME_LABELS = {"rows": gettext_lazy("Rows"), "created": gettext_lazy("New"),
                  "updated": gettext_lazy("Updated"), "labs": gettext_lazy("Labs"),
                  "entered": gettext_lazy("Entered"), "held": gettext_lazy("Held"),
                  "rejected": gettext_lazy("Rejected"),
                  "matched": gettext_lazy("Awaiting confirmation")}


# Each job kind's name in the user's words (the kind itself is a code).
JOB_TITLES = {"catalog_import": gettext_lazy("Capability catalog import"),
              "result_import": gettext_lazy("Instrument result file import")}


def job_title(run: JobRun) -> str:
    return str(JOB_TITLES.get(run.kind, gettext_lazy("Background job")))


def outcome_rows(run: JobRun) -> list[tuple[str, object]]:
    return [(str(OUTCOME_LABELS[key]), value) for key, value in run.outcome.items()
            if key in OUTCOME_LABELS]


def status(run: JobRun) -> dict:
    return {"id": str(run.pk), "kind": run.kind, "state": run.state,
            "state_label": run.get_state_display(), "done": run.done, "total": run.total,
            "percent": run.percent, "message": run.message, "errors": run.errors,
            "outcome": run.outcome, "finished": run.state in JobRun.FINISHED}


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    run = job_get(job_id=job_id, actor=request.user)
    return render(request, "jobs/job.html", {"run": run, "outcome": outcome_rows(run),
                                             "title": job_title(run)})


@login_required
def job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    return JsonResponse(status(job_get(job_id=job_id, actor=request.user)))


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, job_id: str) -> HttpResponse:
    run = job_get(job_id=job_id, actor=request.user)
    attempt(request, lambda: job_cancel(run=run, actor=request.user),
            _("Cancel requested: the job stops at its next step."))
    return redirect("job_detail", job_id=run.pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    runs = JobRun.objects.filter(started_by=request.user)[:50]
    return render(request, "jobs/list.html", {"runs": [(run, job_title(run)) for run in runs]})


@staff_member_required
def schedule(request: HttpRequest) -> HttpResponse:
    last = {entry.name: ScheduledRun.objects.filter(job=entry.name).first()
            for entry in SCHEDULE}
    return render(request, "jobs/schedule.html", {
        "rows": [(entry, last[entry.name]) for entry in SCHEDULE],
        "recent": ScheduledRun.objects.all()[:50]})
