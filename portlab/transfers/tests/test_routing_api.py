"""Batch routing through the JSON API: a POST starts the job (202, the job to poll), as the
routing page does; the GET, where routing once ran, starts nothing and says where it went."""

from django.test import Client

from conftest import make_user, run_queued_jobs
from portlab.accounts.models import Role, User
from portlab.accounts.services import api_token_create
from portlab.jobs.models import JobRun
from portlab.transfers.models import Transfer
from portlab.transfers.tests.test_routing_service import busy


def client_for(user: User) -> Client:
    token = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_manager_starts_routing_and_polls_the_proposal(staff, pending_test, lab, beijing_lab,
                                                         agreement) -> None:
    busy(lab, 30)
    manager = client_for(staff["manager"])
    started = manager.post(f"/api/v1/labs/{lab.code}/routing")
    run = JobRun.objects.get()
    assert (started.status_code, started["Location"]) == (202, f"/api/v1/jobs/{run.pk}")
    assert (started.json()["kind"], started.json()["state"]) == ("routing_batch", "queued")
    assert run.params == {"lab": lab.pk}
    run_queued_jobs()
    done = manager.get(f"/api/v1/jobs/{run.pk}").json()
    assert (done["state"], done["errors"]) == ("succeeded", [])
    assert [(row["test"], row["lab_code"], row["agreement"], row["transferred"])
            for row in done["outcome"]["proposal"]] == [
        (pending_test.pk, "BJ-TC", "JJJ-2024-001", True)]
    assert Transfer.objects.count() == 0  # a proposal only: dispatch is routing/apply
    applied = manager.post(f"/api/v1/labs/{lab.code}/routing/apply",
                           {"transfers": [[pending_test.pk, "BJ-TC"]], "sample_portion": "200 g"},
                           content_type="application/json")
    assert applied.status_code == 201
    assert Transfer.objects.get().to_lab == beijing_lab


def test_the_old_get_starts_nothing_and_points_to_the_post(staff, lab) -> None:
    moved = client_for(staff["manager"]).get(f"/api/v1/labs/{lab.code}/routing")
    assert (moved.status_code, moved["Allow"]) == (405, "POST")
    assert moved.json() == {"detail": (
        "Routing runs as a background job now: POST /api/v1/labs/TJ-TC/routing starts it and "
        "answers 202 with the job to poll (GET /api/v1/jobs/{id}).")}
    assert not JobRun.objects.exists()


def test_a_lab_the_caller_may_not_route_for_starts_no_job(staff, lab, other_lab) -> None:
    manager = client_for(staff["manager"])
    for code in ("NOPE", other_lab.code):  # unknown, or a lab the manager does not manage
        hidden = manager.post(f"/api/v1/labs/{code}/routing")
        assert (hidden.status_code, hidden.json()) == (404, {"detail": "Not found.",
                                                             "field": "code"})
    refused = client_for(staff["clerk"]).post(f"/api/v1/labs/{lab.code}/routing")
    assert (refused.status_code, refused.json()) == (
        403, {"detail": "You need the role “Lab manager” for this."})
    other_manager = make_user("xgmanager", Role.LAB_MANAGER, other_lab)
    assert client_for(other_manager).post(f"/api/v1/labs/{lab.code}/routing").status_code == 404
    assert not JobRun.objects.exists()
