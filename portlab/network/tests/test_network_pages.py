"""Network pages and API: capability search and recognition agreements; in English and
Chinese; bad input."""

import json

from django.test import Client

from conftest import PASSWORD
from portlab.network.search import NetworkSearch, network_capability_search


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_search_answers_lead_by_standard_accredited(staff, lab, beijing_lab, beijing) -> None:
    rows = network_capability_search(NetworkSearch("lead", "GB 5009.12", True))
    assert [c.lab.code for c in rows] == ["BJ-TC", "TJ-TC"]  # 3 days' turnaround first
    only_beijing = NetworkSearch("PB", "", True, beijing.id)
    assert [c.lab.code for c in network_capability_search(only_beijing)] == ["BJ-TC"]
    assert list(network_capability_search(NetworkSearch())) == []
    html = login(staff["analyst"], "zh-hans").get(
        "/network/search?item=铅&standard=GB+5009.12&accredited=yes").content.decode()
    assert "北京海关技术中心" in html and "找到 2 项检测能力" in html


def test_search_api_and_unknown_district(staff, beijing_lab) -> None:
    client = login(staff["analyst"])
    rows = client.get("/api/v1/network/search?item=PB&accredited=true").json()
    assert [row["lab"] for row in rows] == ["BJ-TC", "TJ-TC"]
    response = client.get("/api/v1/network/search?item=PB&district=9999")
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown district “9999”.", "field": "district"}


def test_agreement_page_reports_reversed_dates_in_chinese(staff, lab, beijing_lab) -> None:
    response = login(staff["admin"], "zh-hans").post("/network/agreements", {
        "code": "X-1", "accepting": "TJ-TC", "performing": "BJ-TC", "scope": "all_accredited",
        "valid_from": "2025-06-01", "valid_to": "2025-05-01", "document_reference": "doc"},
        follow=True)
    assert "valid_to（2025-05-01）早于 valid_from（2025-06-01）" in response.content.decode()


def test_agreement_api_creates(staff, lab, beijing_lab, lead) -> None:
    response = login(staff["admin"]).post("/api/v1/agreements", json.dumps({
        "code": "X-2", "accepting": "TJ-TC", "performing": "BJ-TC", "scope": "listed",
        "test_items": ["PB"], "valid_from": "2025-01-01", "valid_to": "2026-12-31",
        "document_reference": "doc"}), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["test_items"] == ["PB"]
