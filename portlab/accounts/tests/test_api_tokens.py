"""API tokens expire, are listed, and are revoked by their owner; refused ones get a clear 401."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from portlab.accounts.models import ApiToken
from portlab.accounts.services import api_token_create


def call(token: str, path: str = "/api/v1/me", method: str = "get", language: str = "en",
         **data):
    client = Client(headers={"accept-language": language, "authorization": f"Bearer {token}"})
    send = getattr(client, method)
    return send(path, json.dumps(data), content_type="application/json") if data else send(path)


def test_a_new_token_works_and_expires_after_the_default_lifetime(staff, settings) -> None:
    settings.PORTLAB_API_TOKEN_DAYS = 30
    token = api_token_create(user=staff["analyst"], name="LIMS export")
    assert call(token).json()["username"] == "analyst"
    row = ApiToken.objects.get()
    assert abs(row.expires_at - row.created_at - timedelta(days=30)) < timedelta(seconds=5)


def test_an_expired_token_is_refused_with_the_reason(staff) -> None:
    token = api_token_create(user=staff["analyst"], name="old", lifetime_days=1)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = call(token, language="zh-hans")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("此 API 令牌已于")
    assert "过期" in response.json()["detail"]


def test_tokens_are_listed_created_and_revoked_through_the_api(staff) -> None:
    first = api_token_create(user=staff["analyst"], name="first")
    created = call(first, "/api/v1/tokens", "post", name="second", lifetime_days=7)
    assert created.status_code == 201
    second = created.json()
    assert (second["name"], second["status"], len(second["token"])) == ("second", "active", 43)
    listed = call(first, "/api/v1/tokens").json()
    assert [row["name"] for row in listed] == ["second", "first"]
    revoked = call(first, f"/api/v1/tokens/{second['id']}/revoke", "post")
    assert (revoked.status_code, revoked.json()["status"]) == (200, "revoked")
    refused = call(second["token"])
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("This API token was revoked on ")
    assert call(first).status_code == 200


def test_nobody_revokes_another_users_token(staff) -> None:
    theirs = api_token_create(user=staff["reviewer"], name="theirs")
    mine = api_token_create(user=staff["analyst"], name="mine")
    other_id = ApiToken.objects.get(name="theirs").id
    response = call(mine, f"/api/v1/tokens/{other_id}/revoke", "post")
    assert response.status_code == 404
    assert call(theirs).status_code == 200


def test_a_lifetime_out_of_range_is_refused_naming_the_field(staff) -> None:
    token = api_token_create(user=staff["analyst"], name="first")
    response = call(token, "/api/v1/tokens", "post", name="long", lifetime_days=10_000)
    assert response.status_code == 400
    assert response.json() == {"detail": "A token lives from 1 to 365 days.",
                               "field": "lifetime_days"}
    assert ApiToken.objects.count() == 1


def test_an_unknown_token_is_simply_unauthorized(db) -> None:
    assert call("not-a-token").status_code == 401


def test_the_token_page_creates_lists_and_revokes(staff) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff["analyst"])
    page = client.post("/accounts/tokens/", {"name": "script", "lifetime_days": "10"})
    assert page.status_code == 200
    shown = page.content.decode().split("<code>")[1].split("</code>")[0]
    assert call(shown).status_code == 200
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/tokens/{token.id}/revoke/").status_code == 302
    listing = client.get("/accounts/tokens/").content.decode()
    assert "revoked" in listing and "script" in listing
    assert call(shown).status_code == 401
