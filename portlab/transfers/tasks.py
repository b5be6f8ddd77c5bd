"""Long transfer work run by the worker: routing a lab's waiting tests over the network (the
solver may take its whole time limit on a large batch; the proposal is kept in the job's
outcome, and the routing page shows it again for the manager to tick and dispatch), and
keeping the forecast of each application filed."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.intake.models import Application
from portlab.jobs.models import JobRun
from portlab.jobs.registry import job
from portlab.jobs.services import job_start
from portlab.network.models import Lab
from portlab.transfers.forecasts import forecast_record
from portlab.transfers.routing_service import (
    BatchRouting,
    ProposedTest,
    route_batch,
    waiting_tests,
)


def routing_batch_start(*, actor, lab: Lab) -> JobRun:
    """Queue the routing of the lab's waiting tests (the page and the API both start it here);
    only a manager of that lab may."""
    access.require(actor, "routing.plan", lab=lab)
    return job_start(kind="routing_batch", params={"lab": lab.pk}, actor=actor)


def routing_links(run, user) -> list[tuple[str, str]]:
    return [(_("Open the proposal to tick and dispatch"),
             f"{reverse('routing')}?lab={run.params['lab']}&job={run.pk}")]


@job("routing_batch", links=routing_links)
def routing_batch_job(run, progress) -> dict:
    """Only proposes: nothing is written but the job's outcome, so a retry simply routes
    again. Each test that no lab can take is listed with its reason."""
    lab = Lab.objects.get(pk=run.params["lab"])
    on = date.fromisoformat(run.params["on"]) if run.params.get("on") else None
    progress(0, 2, _("Routing the waiting tests of %s") % lab.name, force=True)
    routed = route_batch(actor=run.started_by, lab=lab, on=on)
    progress(1, 2, _("Keeping the proposal"), force=True)
    proposal = [{"test": row.test.pk, "lab": row.lab.pk, "lab_code": row.lab.code,
                 "completion": row.completion_date.isoformat(), "price": row.price,
                 "transferred": row.transferred, "late": row.late,
                 "agreement": row.agreement_code} for row in routed.assignments]
    errors = [{"item": f"{row.test.sample.number} {row.test.test_item.name}",
               "reason": row.reason} for row in routed.unplaced]
    progress(2, 2, force=True)
    return {"on": routed.on.isoformat(), "assigned": len(proposal),
            "transfers": sum(1 for row in proposal if row["transferred"]),
            "unplaced": len(errors), "proposal": proposal, "errors": errors}


def routing_proposal(run, lab: Lab) -> BatchRouting:
    """A routing job's proposal as the routing page shows it, for the tests of `lab` still
    waiting (a test dispatched or assigned since the job ran drops out)."""
    rows = run.outcome.get("proposal", [])
    tests = {test.pk: test for test in waiting_tests(lab) if test.pk in {r["test"] for r in rows}}
    labs = Lab.objects.in_bulk({row["lab"] for row in rows})
    assignments = [ProposedTest(tests[row["test"]], labs[row["lab"]],
                                date.fromisoformat(row["completion"]), row["price"],
                                row["transferred"], row["late"], row["agreement"])
                   for row in rows if row["test"] in tests and row["lab"] in labs]
    return BatchRouting(lab, date.fromisoformat(run.outcome["on"]), "stored", assignments, [],
                        [], 0.0, 0.0)


def forecast_record_start(application: Application) -> None:
    """Queue keeping the forecast of an application just filed (intake calls this once the
    filing has committed), so the filing does not wait for its lab's queues to be played
    forward. A system job: no one's "My jobs" lists it."""
    job_start(kind="forecast_record", params={"application": application.pk})


@job("forecast_record")
def forecast_record_job(run, progress) -> dict:
    """Keep the application's forecast (once: a second delivery keeps nothing more)."""
    application = Application.objects.filter(pk=run.params["application"]).first()
    if application is None:  # withdrawn and deleted before the worker came to it
        return {"kept": False}
    forecast = forecast_record(application)
    return {"kept": forecast is not None}
