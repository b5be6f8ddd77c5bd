"""Jobs in the JSON API: each person lists and reads their own; another's answers 404, as the
job's page does."""

from django.test import Client

from conftest import make_user
from portlab.accounts.models import Role, User
from portlab.accounts.services import api_token_create
from portlab.jobs.services import job_start


def client_for(user: User) -> Client:
    token = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_person_reads_only_their_own_jobs(staff, lab) -> None:
    mine = job_start(kind="ping", params={}, actor=staff["manager"])
    colleague = make_user("manager2", Role.LAB_MANAGER, lab)
    theirs = job_start(kind="ping", params={}, actor=colleague)
    manager = client_for(staff["manager"])
    assert [job["id"] for job in manager.get("/api/v1/jobs").json()] == [str(mine.pk)]
    read = manager.get(f"/api/v1/jobs/{mine.pk}").json()
    assert (read["state"], read["state_label"], read["url"], read["page"]) == (
        "queued", "Queued", f"/api/v1/jobs/{mine.pk}", f"/jobs/{mine.pk}/")
    hidden = manager.get(f"/api/v1/jobs/{theirs.pk}")
    assert (hidden.status_code, hidden.json()) == (404, {"detail": "No such job."})
    assert manager.get("/api/v1/jobs/not-a-uuid").status_code == 404
