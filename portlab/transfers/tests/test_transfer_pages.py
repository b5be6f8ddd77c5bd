"""Cross-lab pages and API: workload, cross-district counts, routing, transfers, prediction;
in English and Chinese; bad input."""

import json
from datetime import date

from django.template import Context, Template
from django.test import Client
from freezegun import freeze_time

from conftest import PASSWORD
from portlab.transfers.models import Transfer
from portlab.transfers.services import transfer_dispatch
from portlab.transfers.workload import cross_district_totals, cross_district_work, lab_workload


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_workload_counts_open_tests_and_backlog_days(staff, pending_test, lab) -> None:
    rows = {row.lab.code: row for row in lab_workload()}
    assert (rows["TJ-TC"].by_status, rows["TJ-TC"].daily_capacity) == ({"pending": 1}, 40)
    assert rows["TJ-TC"].backlog_days == 1 / 40
    html = login(staff["manager"]).get("/network/workload").content.decode()
    assert "Days of backlog" in html and "0.03" in html
    customer = login(staff["customer"]).get("/api/v1/network/workload")
    assert customer.status_code == 403


def test_cross_district_counts_batches_and_items(staff, pending_test, beijing_lab,
                                                 agreement) -> None:
    transfer_dispatch(actor=staff["manager"], test=pending_test, to_lab=beijing_lab,
                      sample_portion="200 g")
    month = cross_district_work(period="month")
    assert [(r.from_district, r.to_district, r.batches, r.test_items) for r in month] == [
        ("Tianjin Customs", "Beijing Customs", 1, 1)]
    today = date.today()
    assert month[0].period_label == f"{today.year}-{today.month:02d}"
    quarter = login(staff["manager"]).get("/api/v1/network/cross-district?period=quarter").json()
    assert quarter[0]["period_label"] == f"{today.year} Q{(today.month - 1) // 3 + 1}"
    assert cross_district_totals() == (1, 1)
    html = login(staff["manager"]).get("/network/transfers").content.decode()
    assert "TJ-TC</span> → <span" in html and ">Receive<" not in html  # not the receiver
    Transfer.objects.update(status="rejected")
    assert cross_district_work() == []
    assert cross_district_totals() == (0, 0)


def test_routing_page_and_apply(staff, pending_test, lab, beijing_lab, agreement) -> None:
    client = login(staff["manager"])
    page = client.get("/network/routing")
    html = page.content.decode()
    # Opening the page routes nothing: it offers the routing job (its proposal comes back
    # through the job's page, test_routing_job.py).
    assert page.context["routed"] is None and pending_test.sample.number not in html
    assert "1 test of Tianjin Customs Technology Center waits for an analyst." in html
    assert 'action="/network/routing/job"' in html and "Your last proposal" not in html
    response = client.post("/network/routing/apply", {
        "lab": lab.id, "transfer": [f"{pending_test.id}:{beijing_lab.id}"],
        "sample_portion": "200 g"}, follow=True)
    assert "1 transfer(s) dispatched." in response.content.decode()
    assert Transfer.objects.get().to_lab == beijing_lab


def test_routing_apply_without_portion_keeps_everything(staff, pending_test, lab, beijing_lab,
                                                        agreement) -> None:
    response = login(staff["manager"], "zh-hans").post("/network/routing/apply", {
        "lab": lab.id, "transfer": [f"{pending_test.id}:{beijing_lab.id}"]}, follow=True)
    assert "请说明送出的样品分量" in response.content.decode()
    assert Transfer.objects.count() == 0


def test_transfer_api_flow(staff, pending_test, beijing_lab, beijing_clerk, agreement) -> None:
    manager = login(staff["manager"])
    created = manager.post("/api/v1/transfers", json.dumps({
        "test": pending_test.id, "to_lab": "BJ-TC", "sample_portion": "200 g"}),
        content_type="application/json")
    assert created.status_code == 201
    transfer_id = created.json()["id"]
    received = login(beijing_clerk).post(
        f"/api/v1/transfers/{transfer_id}/receive",
        json.dumps({"version": created.json()["version"]}), content_type="application/json")
    assert received.json()["status"] == "received"
    listed = login(beijing_clerk).get("/api/v1/transfers").json()
    assert [row["id"] for row in listed] == [transfer_id]


def test_transfer_api_refuses_lab_without_agreement(staff, pending_test, beijing_lab) -> None:
    response = login(staff["manager"]).post("/api/v1/transfers", json.dumps({
        "test": pending_test.id, "to_lab": "BJ-TC", "sample_portion": "200 g"}),
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "to_lab"
    assert "No recognition agreement in force" in response.json()["detail"]
    unknown = login(staff["manager"]).post("/api/v1/transfers", json.dumps({
        "test": pending_test.id, "to_lab": "NOPE", "sample_portion": "200 g"}),
        content_type="application/json")
    assert unknown.json() == {"detail": "Unknown lab “NOPE”.", "field": "to_lab"}


@freeze_time("2026-09-29 10:00:00+08:00")
def test_prediction_api_and_snippet(staff, application) -> None:
    data = login(staff["customer"]).get(
        f"/api/v1/applications/{application.number}/prediction").json()
    # 5 working days across the National Day holiday: 13 calendar days; one test: the
    # interval runs to 2 working days later (DEFAULT_LATENESS)
    assert (data["date"], data["days"], data["low"], data["high"], data["provisional"]) == (
        "2026-10-12", 13, "2026-10-12", "2026-10-14", False)
    assert data["tests"][0]["basis"] == "queue"
    html = Template("{% load prediction_tags %}{% predicted_completion application %}").render(
        Context({"application": application}))
    assert 'id="predicted-completion"' in html
    assert "80 % likely between 2026-10-12 and 2026-10-14" in html
    assert login(staff["customer"]).get(
        "/api/v1/applications/A-NONE/prediction").status_code == 404
