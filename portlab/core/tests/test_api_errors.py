"""The JSON API refuses bad parameters with 422 naming them, and answers every error in JSON."""

import pytest
from django.db import connection
from django.test import Client


@pytest.fixture
def manager_client(staff) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff["manager"])
    return client


@pytest.mark.parametrize("path", ["/api/v1/applications?limit=-1", "/api/v1/tests?limit=0",
                                  "/api/v1/reports?limit=1001",
                                  "/api/v1/capabilities?limit=-5"])
def test_a_list_limit_out_of_range_is_refused_naming_it(manager_client: Client, path: str) -> None:
    response = manager_client.get(path)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "limit"]


def test_a_list_limit_in_range_is_served(manager_client: Client, application) -> None:
    response = manager_client.get("/api/v1/applications?limit=1")
    assert response.status_code == 200 and len(response.json()) == 1


@pytest.mark.parametrize("days", ["-1", "367", "99999999999999999999"])
def test_expiring_authorizations_take_days_within_a_year(manager_client: Client,
                                                          days: str) -> None:
    response = manager_client.get(f"/api/v1/quality/authorizations/expiring?days={days}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "days"]
    assert manager_client.get("/api/v1/quality/authorizations/expiring?days=366").status_code \
        == 200


def test_an_unknown_api_address_answers_in_json(manager_client: Client) -> None:
    response = manager_client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such API address."}


def test_a_page_error_outside_the_api_stays_html(manager_client: Client) -> None:
    response = manager_client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_missing_csrf_token_answers_in_json(staff) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["admin"])
    response = client.post("/api/v1/enterprises", "{}", content_type="application/json")
    assert response.status_code == 403
    assert "detail" in response.json()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page limit stands in for a "
                    "full disk; PostgreSQL has no per-connection equivalent")
def test_a_full_disk_answers_503_in_json_in_the_users_language(staff) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(staff["admin"])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")  # the database may not grow: full
    try:
        response = client.post(
            "/api/v1/enterprises", {"credit_code": "91330100799655058B", "name_zh": "阿" * 2000,
                                    "contact_name": "x" * 2000},
            content_type="application/json")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "服务器暂时无法存储数据（磁盘可能已满）。您的请求未完成，请稍后再试。"}
