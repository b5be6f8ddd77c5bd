"""Routing a batch in the background: the job keeps the proposal, lists the tests no lab can
take with their reason, and the routing page shows the proposal again for dispatch."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import run_queued_jobs
from portlab.jobs.models import JobRun
from portlab.network.models import Capability
from portlab.transfers.models import Transfer
from portlab.transfers.tests.test_routing_service import busy


def _manager(staff) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff["manager"])
    return client


def test_a_routing_job_proposes_and_the_page_dispatches_it(staff, pending_test, lab,
                                                           beijing_lab, agreement) -> None:
    busy(lab, 30)
    client = _manager(staff)
    started = client.post("/network/routing/job", {"lab": lab.pk})
    run = JobRun.objects.get(kind="routing_batch")
    assert started["Location"] == f"/jobs/{run.pk}/"
    run_queued_jobs()
    run.refresh_from_db()
    assert (run.state, run.errors) == ("succeeded", [])
    assert {key: run.outcome[key] for key in ("assigned", "transfers", "unplaced")} == {
        "assigned": 1, "transfers": 1, "unplaced": 0}
    assert [(row["test"], row["lab"], row["agreement"]) for row in run.outcome["proposal"]] == [
        (pending_test.pk, beijing_lab.pk, "JJJ-2024-001")]
    assert Transfer.objects.count() == 0  # a proposal only
    # The routing page, opened again later, links to the manager's last proposal.
    assert f'href="/network/routing?lab={lab.pk}&amp;job={run.pk}">Your last proposal, made' \
        in client.get("/network/routing").content.decode()
    link = f"/network/routing?lab={lab.pk}&amp;job={run.pk}"
    assert link in client.get(f"/jobs/{run.pk}/").content.decode()
    page = client.get(f"/network/routing?lab={lab.pk}&job={run.pk}")
    assert page.context["routed"].status == "stored"
    assert f'value="{pending_test.pk}:{beijing_lab.pk}" checked' in page.content.decode()
    client.post("/network/routing/apply", {"lab": lab.pk, "sample_portion": "200 g",
                                           "transfer": [f"{pending_test.pk}:{beijing_lab.pk}"]})
    assert Transfer.objects.get().to_lab == beijing_lab
    # Dispatched since: the stored proposal no longer offers it.
    again = client.get(f"/network/routing?lab={lab.pk}&job={run.pk}")
    assert again.context["routed"].assignments == []


def test_tests_no_lab_can_take_are_listed_with_their_reason(staff, pending_test, lab) -> None:
    Capability.objects.filter(lab=lab).update(daily_capacity=0)
    _manager(staff).post("/network/routing/job", {"lab": lab.pk})
    run_queued_jobs()
    run = JobRun.objects.get(kind="routing_batch")
    assert (run.state, run.outcome["unplaced"]) == ("succeeded", 1)
    assert run.errors == [{"item": f"{pending_test.sample.number} Lead",
                           "reason": "The capable labs have zero daily capacity"}]


def test_only_a_lab_manager_starts_a_routing_job(staff, lab) -> None:
    clerk = Client(HTTP_ACCEPT_LANGUAGE="en")
    clerk.force_login(staff["clerk"])
    assert clerk.post("/network/routing/job", {"lab": lab.pk}).status_code == 403
    assert not JobRun.objects.exists()


def test_the_command_line_routes_as_the_manager_with_a_progress_bar(
        transactional_db, staff, pending_test, lab, capsys) -> None:
    call_command("job", "routing_batch", f"lab={lab.pk}", "--as", "manager", "--here")
    run = JobRun.objects.get(kind="routing_batch")
    assert (run.state, run.started_by, run.outcome["assigned"]) == (
        "succeeded", staff["manager"], 1)
    captured = capsys.readouterr()
    assert '"assigned": 1' in captured.out
    assert "routing_batch" in captured.err  # the progress bar's line
    with pytest.raises(CommandError, match="--as: no user 'nobody'"):
        call_command("job", "routing_batch", f"lab={lab.pk}", "--as", "nobody")
