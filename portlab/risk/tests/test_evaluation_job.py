"""Evaluating the risk pipeline as a job from the officer's page: the same figures as
`portlab risk-evaluate` on the same files, and a bad line named with its file and line."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import run_queued_jobs
from portlab.jobs.models import JobRun
from portlab.risk.evaluate import evaluate
from portlab.risk.models import ModelVersion
from portlab.risk.tests.test_model import _declarations, _write_csv


def _upload(client, train: Path, test: Path):
    return client.post("/risk/evaluate/", {
        "train": SimpleUploadedFile("history.csv", train.read_bytes(), "text/csv"),
        "test": SimpleUploadedFile("recent.csv", test.read_bytes(), "text/csv")})


def test_the_evaluation_job_reports_what_the_command_reports(officer_client, file_store,
                                                             tmp_path: Path) -> None:
    train = _write_csv(tmp_path / "train.csv", _declarations(400, seed=1))
    test = _write_csv(tmp_path / "test.csv", _declarations(200, seed=2))
    started = _upload(officer_client, train, test)
    run = JobRun.objects.get(kind="risk_evaluate")
    assert started["Location"] == f"/jobs/{run.pk}/"
    run_queued_jobs()
    run.refresh_from_db()
    expected = evaluate(train, test)
    assert (run.state, run.outcome) == ("succeeded", {
        "n_train": 400, "n_test": 200,
        "precision_at_k": f"{expected['precision@10%']:.3f}",
        "recall_at_k": f"{expected['recall@10%']:.3f}",
        "auc": f"{expected['roc_auc']:.3f}"})
    assert not ModelVersion.objects.exists()  # the model in use is untouched
    page = officer_client.get(f"/jobs/{run.pk}/").content.decode()
    assert "<dt>Precision with the top 10% inspected</dt>" in page


def test_a_bad_line_is_named_with_its_file(officer_client, file_store, tmp_path: Path) -> None:
    rows = _declarations(50, seed=2)
    rows[2]["Item Price"] = "abc"
    _upload(officer_client, _write_csv(tmp_path / "train.csv", _declarations(100)),
            _write_csv(tmp_path / "test.csv", rows))
    run_queued_jobs()
    run = JobRun.objects.get(kind="risk_evaluate")
    assert (run.state, run.message) == (
        "failed", "recent.csv: a line is refused; nothing was evaluated.")
    assert run.errors == [{"line": 4, "reason": "recent.csv, Item Price: not a number ('abc')"}]


def test_a_missing_file_queues_nothing(officer_client, file_store) -> None:
    response = officer_client.post("/risk/evaluate/", {
        "train": SimpleUploadedFile("history.csv", b"x", "text/csv")}, follow=True)
    assert "Test file: choose a labelled declarations CSV." in response.content.decode()
    assert not JobRun.objects.exists()
