"""The catalog import through the JSON API: a job, as on the page. The POST answers 202 with the
job to poll; a bad line fails the job with that line and column, and nothing is imported."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import run_queued_jobs
from portlab.accounts.models import User
from portlab.accounts.services import api_token_create
from portlab.jobs.models import JobRun
from portlab.network.models import Capability
from portlab.network.tests.test_catalog_import import csv_file, five_rows, row


def client_for(user: User) -> Client:
    token = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def upload(client: Client, content: bytes, name: str = "cat.csv"):
    return client.post("/api/v1/catalog/import",
                       {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_the_import_is_a_job_to_poll(staff, lab, file_store) -> None:
    admin = client_for(staff["admin"])
    started = upload(admin, five_rows())
    run = JobRun.objects.get()
    body = started.json()
    assert started.status_code == 202
    assert started["Location"] == body["url"] == f"/api/v1/jobs/{run.pk}"
    assert (body["id"], body["kind"], body["state"], body["finished"], body["page"]) == (
        str(run.pk), "catalog_import", "queued", False, f"/jobs/{run.pk}/")
    assert not Capability.objects.exists()  # nothing ran in the request
    run_queued_jobs()
    done = admin.get(body["url"]).json()
    assert (done["state"], done["finished"], done["done"], done["total"], done["errors"]) == (
        "succeeded", True, 5, 5, [])
    assert done["outcome"] == {"rows": 5, "created": 5, "updated": 0, "labs": "TJ-TC"}
    assert Capability.objects.count() == 5


def test_a_bad_line_fails_the_job_naming_it_and_imports_nothing(staff, lab, file_store) -> None:
    admin = client_for(staff["admin"])
    started = upload(admin, csv_file(row(), row(item="PB", price="abc")))
    assert started.status_code == 202
    run_queued_jobs()
    failed = admin.get(started.json()["url"]).json()
    assert (failed["state"], failed["message"]) == (
        "failed", "Nothing was imported: 1 problem(s), the first on line 3 (price): "
                  "“abc” is not a number")
    assert failed["errors"] == [{"line": 3, "column": "price",
                                 "reason": "price: “abc” is not a number"}]
    assert not Capability.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_starts_no_job(staff, lab, file_store) -> None:
    refused = upload(client_for(staff["admin"]), b"%PDF-1.7", name="cat.pdf")
    assert (refused.status_code, refused.json()) == (
        400, {"detail": "Choose a CSV or XLSX file.", "field": "file"})
    empty = upload(client_for(staff["admin"]), b"")
    assert (empty.status_code, empty.json()["field"]) == (400, "file")
    assert not JobRun.objects.exists()


def test_a_role_that_may_not_edit_capabilities_starts_no_job(staff, lab, file_store) -> None:
    refused = upload(client_for(staff["analyst"]), five_rows())
    assert refused.status_code == 403
    assert not JobRun.objects.exists()
