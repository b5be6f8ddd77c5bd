"""Retraining as a job: progress in steps, the new version as its outcome; no labels, a refusal."""

from django.utils import translation

from portlab.jobs.models import JobRun
from portlab.jobs.services import job_run, job_start
from portlab.risk.importing import declarations_import
from portlab.risk.models import ModelVersion
from portlab.risk.tests.conftest import history_csv


def test_retraining_runs_as_a_job_with_its_outcome(officer) -> None:
    declarations_import(actor=None, text=history_csv(400))
    run = job_start(kind="risk_train", params={}, actor=officer)
    job_run(str(run.pk))  # what the worker does with the queued task
    run.refresh_from_db()
    version = ModelVersion.objects.get(active=True)
    assert (run.state, run.done, run.total) == ("succeeded", 3, 3)
    assert run.outcome["version"] == version.version
    assert (run.outcome["rows"], run.outcome["positives"]) == (400, version.positives)
    assert run.outcome["auc"] == f"{version.holdout_metrics['roc_auc']:.3f}"


def test_retraining_without_labels_fails_with_the_reason(officer) -> None:
    declarations_import(actor=None, text=history_csv(50, labelled=False))
    with translation.override("en"):
        run = job_start(kind="risk_train", params={}, actor=officer)
    job_run(str(run.pk))
    run.refresh_from_db()
    assert run.state == JobRun.State.FAILED
    assert run.message.startswith("No declaration has a label yet")
    assert not ModelVersion.objects.exists()
