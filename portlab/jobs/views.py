"""A job's page (progress bar, cancel, outcome), its status as JSON, and the schedule."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.jobs.models import JobRun, ScheduledRun
from portlab.jobs.registry import outcome_links
from portlab.jobs.schedule import SCHEDULE
from portlab.jobs.schedules import entries_set_by_people, schedule_get, schedule_set
from portlab.jobs.selectors import job_status as status
from portlab.jobs.selectors import jobs_started_by
from portlab.jobs.services import job_cancel, job_get, job_start

# What a job's outcome counts, in the user's words (keys are the handlers' outcome keys).
OUTCOME_LABELS = {"rows": gettext_lazy("Rows"), "created": gettext_lazy("New"),
                  "updated": gettext_lazy("Updated"), "labs": gettext_lazy("Labs"),
                  "matched": gettext_lazy("Awaiting confirmation"),
                  "held": gettext_lazy("Held"), "entered": gettext_lazy("Entered"),
                  "rejected": pgettext_lazy("import row", "Rejected"),
                  "version": gettext_lazy("Model version"),
                  "positives": gettext_lazy("Nonconforming"),
                  "auc": gettext_lazy("Hold-out AUC"), "rates": gettext_lazy("Rates changed"),
                  "issued": gettext_lazy("Reports issued"),
                  "already": gettext_lazy("Already issued before"),
                  "refused": gettext_lazy("Refused"),
                  "round": gettext_lazy("Round"), "filename": gettext_lazy("File"),
                  "assigned": gettext_lazy("Tests placed"),
                  "transfers": gettext_lazy("Proposed transfers"),
                  "unplaced": gettext_lazy("Not placed"),
                  "n_train": gettext_lazy("Declarations trained on"),
                  "n_test": gettext_lazy("Declarations ranked"),
                  "precision_at_k": gettext_lazy("Precision with the top 10% inspected"),
                  "recall_at_k": gettext_lazy("Recall with the top 10% inspected")}


# Each job kind's name in the user's words (the kind itself is a code).
JOB_TITLES = {"catalog_import": gettext_lazy("Capability catalog import"),
              "result_import": gettext_lazy("Instrument result file import"),
              "risk_train": gettext_lazy("Risk model training"),
              "ping": gettext_lazy("Queue check"),
              "generate": gettext_lazy("Synthetic network generation"),
              "report_batch": gettext_lazy("Batch report issue"),
              "pt_round_report": gettext_lazy("PT round report"),
              "routing_batch": gettext_lazy("Batch routing"),
              "risk_evaluate": gettext_lazy("Risk model evaluation")}


def job_title(run: JobRun) -> str:
    return str(JOB_TITLES.get(run.kind, gettext_lazy("Background job")))


def outcome_rows(run: JobRun) -> list[tuple[str, object]]:
    # In OUTCOME_LABELS' order: PostgreSQL's jsonb keeps no key order.
    return [(str(label), run.outcome[key]) for key, label in OUTCOME_LABELS.items()
            if key in run.outcome]


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    run = job_get(job_id=job_id, actor=request.user)
    return render(request, "jobs/job.html", {"run": run, "outcome": outcome_rows(run),
                                             "title": job_title(run),
                                             "links": outcome_links(run, request.user)})


@login_required
def job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    return JsonResponse(status(job_get(job_id=job_id, actor=request.user), request.user))


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, job_id: str) -> HttpResponse:
    run = job_get(job_id=job_id, actor=request.user)
    attempt(request, lambda: job_cancel(run=run, actor=request.user),
            _("Cancel requested: the job stops at its next step."))
    return redirect("job_detail", job_id=run.pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    runs = jobs_started_by(actor=request.user)
    return render(request, "jobs/list.html", {"runs": [(run, job_title(run)) for run in runs]})


@staff_member_required
def schedule(request: HttpRequest) -> HttpResponse:
    entries = [*SCHEDULE, *entries_set_by_people()]
    last = {entry.name: ScheduledRun.objects.filter(job=entry.name).first()
            for entry in entries}
    return render(request, "jobs/schedule.html", {
        "rows": [(entry, last[entry.name]) for entry in entries],
        "recent": ScheduledRun.objects.all()[:50]})


@login_required
def retrain_schedule(request: HttpRequest) -> HttpResponse:
    """The risk officer sets when the model is retrained (the route gate checks risk.manage),
    or starts a retraining now, as a job with its own page."""
    row = schedule_get("risk_retrain")
    if request.method == "POST" and request.POST.get("now"):
        run = job_start(kind="risk_train", params={}, actor=request.user)
        return redirect("job_detail", job_id=run.pk)
    if request.method == "POST":
        post = request.POST
        try:
            schedule_set(actor=request.user, name="risk_retrain",
                         enabled=bool(post.get("enabled")), trigger=post.get("trigger", ""),
                         cron=post.get("cron", ""), hours=post.get("hours", ""),
                         version=optional_int(post.get("version")) or 0)
        except ApplicationError as error:
            messages.error(request, error.message)
            return render(request, "jobs/retrain_schedule.html",
                          {"row": row, "typed": post, "error_field": error.field}, status=422)
        messages.success(request, _("Schedule saved: the scheduler follows it within a minute."))
        return redirect("retrain_schedule")
    last = ScheduledRun.objects.filter(job="risk_retrain")[:10]
    return render(request, "jobs/retrain_schedule.html", {"row": row, "typed": None,
                                                          "last": last})
