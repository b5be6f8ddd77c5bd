"""Issuing a batch of reports as a job: one re-authentication when submitting, a grant kept
with the job instead of the password, one signature "issued" per report, a retried job that
issues nothing twice, and refusals listed per application."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import PASSWORD, SIGNED, run_queued_jobs
from portlab.accounts.models import Signature, User
from portlab.audit.models import AuditEvent
from portlab.intake.models import Application, Status
from portlab.intake.services import SampleInput, application_register
from portlab.jobs.models import JobRun
from portlab.jobs.services import job_run
from portlab.reports import batch
from portlab.reports.models import Report
from portlab.testing import services as testing_services
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive

from .conftest import approve


@pytest.fixture
def second_approved(staff, lab, lead, rice, enterprise, approved_application) -> Application:
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="糯米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id],
        samples=[SampleInput(description="糯米 1 kg")], product_category=rice)
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    testing_services.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    approve(staff, test)
    application.refresh_from_db()
    return application


def _signatory(staff: dict[str, User]) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff["signatory"])
    return client


def _submit(client: Client, numbers: list[str], password: str = PASSWORD):
    return client.post("/reports/issue-batch/", {"application": numbers, "language": "en",
                                                 "password": password})


def test_a_batch_issues_each_report_under_one_signature(
        staff, approved_application, second_approved, keys_dir: Path) -> None:
    numbers = [approved_application.number, second_approved.number]
    response = _submit(_signatory(staff), numbers)
    run = JobRun.objects.get(kind="report_batch")
    assert response["Location"] == f"/jobs/{run.pk}/"
    assert PASSWORD not in json.dumps(run.params)
    assert run.params["applications"] == numbers
    assert AuditEvent.objects.filter(action="report_batch_authorise").count() == 2
    run_queued_jobs()
    run.refresh_from_db()
    assert (run.state, run.outcome, run.errors, run.done, run.total) == (
        "succeeded", {"issued": 2, "already": 0, "refused": 0}, [], 2, 2)
    reports = Report.objects.filter(application__number__in=numbers)
    assert sorted(reports.values_list("application__number", "version", "language")) == \
        sorted((number, 1, "en") for number in numbers)
    for report in reports:
        assert list(Signature.objects.filter(entity_type="reports.report",
                                             entity_id=str(report.pk))
                    .values_list("signer__username", "meaning", "method")) == [
            ("signatory", "issued", "password")]
    assert set(Application.objects.filter(number__in=numbers)
               .values_list("status", flat=True)) == {Status.REPORTED}


def test_a_retried_batch_issues_no_report_twice(
        staff, approved_application, second_approved, keys_dir: Path) -> None:
    _submit(_signatory(staff), [approved_application.number, second_approved.number])
    run = JobRun.objects.get(kind="report_batch")
    run_queued_jobs()
    # What jobs_recover does for a run whose worker died after its last commit.
    JobRun.objects.filter(pk=run.pk).update(state=JobRun.State.QUEUED)
    job_run(str(run.pk))
    run.refresh_from_db()
    assert (run.state, run.outcome, run.attempts) == (
        "succeeded", {"issued": 0, "already": 2, "refused": 0}, 2)
    assert Report.objects.count() == 2
    assert Signature.objects.filter(meaning="issued").count() == 2


def test_a_wrong_password_queues_nothing(staff, approved_application, keys_dir) -> None:
    client = _signatory(staff)
    response = _submit(client, [approved_application.number], password="wrong")
    assert response["Location"] == "/reports/"
    assert not JobRun.objects.filter(kind="report_batch").exists()
    assert not AuditEvent.objects.filter(action="report_batch_authorise").exists()
    page = client.get("/reports/").content.decode()
    assert "The password or code is not correct; nothing was signed." in page


def test_an_application_not_approved_refuses_the_batch_at_submit(
        staff, approved_application, second_approved, keys_dir) -> None:
    Application.objects.filter(pk=second_approved.pk).update(status=Status.IN_REVIEW)
    client = _signatory(staff)
    _submit(client, [approved_application.number, second_approved.number])
    assert not JobRun.objects.filter(kind="report_batch").exists()
    page = client.get("/reports/").content.decode()
    assert (f"Application {second_approved.number} is “In review”; a report is issued only "
            "when all its results are approved.") in page
    _submit(client, [])
    assert "Choose at least one application to report." in client.get("/reports/").content.decode()


def test_an_application_reopened_after_submit_is_listed_and_the_others_issued(
        staff, approved_application, second_approved, keys_dir) -> None:
    _submit(_signatory(staff), [approved_application.number, second_approved.number])
    Application.objects.filter(pk=second_approved.pk).update(status=Status.IN_REVIEW)
    run_queued_jobs()
    run = JobRun.objects.get(kind="report_batch")
    assert (run.state, run.outcome) == ("succeeded", {"issued": 1, "already": 0, "refused": 1})
    assert run.errors == [{"item": second_approved.number, "reason": (
        f"Application {second_approved.number} is “In review”; a report is issued only when "
        "all its results are approved.")}]
    page = _signatory(staff).get(f"/jobs/{run.pk}/").content.decode()
    assert f"<td>{second_approved.number}</td>" in page


def test_an_altered_or_expired_grant_issues_nothing(staff, approved_application, keys_dir,
                                                    monkeypatch) -> None:
    run = batch.report_batch_start(actor=staff["signatory"], credential=SIGNED, language="en",
                                   numbers=[approved_application.number])
    other = batch.report_batch_start(actor=staff["signatory"], credential=SIGNED,
                                     language="en", numbers=[approved_application.number])
    # The grant of another job does not authorise this one.
    JobRun.objects.filter(pk=run.pk).update(params={**run.params,
                                                    "grant": other.params["grant"]})
    job_run(str(run.pk))
    run.refresh_from_db()
    assert (run.state, run.message) == (
        "failed", "This batch carries no valid signature; nothing was issued.")
    monkeypatch.setattr(batch, "GRANT_MAX_AGE", timedelta(seconds=-1))
    job_run(str(other.pk))
    other.refresh_from_db()
    assert other.state == "failed"
    assert other.message.startswith("The signature for this batch has expired")
    assert not Report.objects.exists()


def test_the_command_line_signs_once_and_follows_the_batch(
        transactional_db, staff, approved_application, keys_dir, monkeypatch, capsys) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt: "wrong")  # what the signatory types
    with pytest.raises(CommandError, match="The password or code is not correct"):
        call_command("report_batch", approved_application.number, "--as", "signatory")
    assert not JobRun.objects.filter(kind="report_batch").exists()
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)
    call_command("report_batch", approved_application.number, "--as", "signatory",
                 "--language", "en", "--here")
    assert Report.objects.get().application == approved_application
    captured = capsys.readouterr()
    assert '"issued": 1' in captured.out
    assert "report_batch" in captured.err  # the progress bar's line
