"""The JSON API walks a sample from application to approval, as the pages do."""

import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role
from portlab.accounts.services import api_token_create, enterprise_create


def client_for(user) -> Client:
    token = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def application_body(lab, **changes) -> dict:
    body = {"enterprise": "914403001922038216", "lab": lab.code, "goods_description": "大米",
            "hs_code": "1006302000", "purpose": "import", "product_category": "RICE",
            "test_items": ["PB"], "samples": [{"description": "大米 2 kg"}]}
    body.update(changes)
    return body


def test_openapi_schema_is_published(db) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "PortLab API"
    for path in ["/api/v1/applications", "/api/v1/samples/{number}/receive",
                 "/api/v1/tests/{test_id}/result", "/api/v1/tests/{test_id}/approve",
                 "/api/v1/catalog/import", "/api/v1/capabilities", "/api/v1/jobs/{job_id}"]:
        assert path in schema["paths"]
    # Long work is a job: its POST answers 202; the routing GET only points to the POST.
    assert list(schema["paths"]["/api/v1/catalog/import"]["post"]["responses"]) == ["202"]
    routing = schema["paths"]["/api/v1/labs/{code}/routing"]
    assert list(routing["post"]["responses"]) == ["202"]
    assert (list(routing["get"]["responses"]), routing["get"]["deprecated"]) == (["405"], True)


def test_whole_way_through_the_api(staff, lab, lead, rice) -> None:
    customer, clerk = client_for(staff["customer"]), client_for(staff["clerk"])
    response = customer.post("/api/v1/applications", application_body(lab),
                             content_type="application/json")
    assert response.status_code == 201, response.content
    application = response.json()
    sample = application["samples"][0]
    received = clerk.post(f"/api/v1/samples/{sample['number']}/receive",
                          {"barcode": "", "version": sample["version"]},
                          content_type="application/json")
    assert received.json()["status"] == "received"
    (test,) = client_for(staff["manager"]).get("/api/v1/tests?status=pending").json()
    assigned = client_for(staff["manager"]).post(
        f"/api/v1/tests/{test['id']}/assign", {"analyst": "analyst", "version": test["version"]},
        content_type="application/json").json()
    analyst = client_for(staff["analyst"])
    entered = analyst.post(f"/api/v1/tests/{test['id']}/result",
                           {"kind": "numeric", "value": "41", "unit": "μg/kg",
                            "uncertainty": "6", "version": assigned["version"]},
                           content_type="application/json").json()
    assert entered["result"]["value"] == pytest.approx(0.041)
    assert entered["result"]["conformity"] == "pass"
    reviewed = client_for(staff["reviewer"]).post(
        f"/api/v1/tests/{test['id']}/review",
        {"decision": "accept", "version": entered["version"], "password": PASSWORD},
        content_type="application/json").json()
    approved = client_for(staff["signatory"]).post(
        f"/api/v1/tests/{test['id']}/approve",
        {"decision": "accept", "version": reviewed["version"], "password": PASSWORD},
        content_type="application/json").json()
    assert approved["status"] == "approved"
    final = customer.get(f"/api/v1/applications/{application['number']}").json()
    assert final["status"] == "approved"


def test_bad_input_answers_with_field_and_reason(staff, lab, lead, rice) -> None:
    customer = client_for(staff["customer"])
    response = customer.post("/api/v1/applications", application_body(lab, hs_code="1006"),
                             content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"detail": "HS code: must be exactly 10 digits, got “1006”.",
                               "field": "hs_code"}
    chinese = customer.post("/api/v1/applications", application_body(lab, hs_code="1006"),
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.json()["detail"] == "HS编码：必须正好是10位数字，实际为“1006”。"
    unknown = customer.post("/api/v1/applications", application_body(lab, test_items=["XX"]),
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.json() == {"detail": "Unknown test item(s): XX.", "field": "test_items"}


def test_stale_version_gets_409(staff, assigned_test) -> None:
    analyst = client_for(staff["analyst"])
    url = f"/api/v1/tests/{assigned_test.id}/result"
    first = analyst.post(url, {"value": "0.05", "version": assigned_test.version},
                         content_type="application/json").json()
    version = first["result"]["version"]
    changed = analyst.post(url, {"value": "0.06", "reason": "A", "version": version},
                           content_type="application/json")
    assert changed.status_code == 200
    stale = analyst.post(url, {"value": "0.07", "reason": "B", "version": version},
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 409
    assert stale.json()["field"] == "version"
    assert stale.json()["detail"].startswith("This record was changed by someone else")


def test_enterprises_never_see_each_other(staff, application, lab) -> None:
    other = enterprise_create(actor=staff["admin"], credit_code="9144030071526726XG",
                              name_zh="腾讯")
    stranger = client_for(make_user("stranger", Role.ENTERPRISE_USER, other))
    number = application.number
    assert stranger.get(f"/api/v1/applications/{number}").status_code == 404
    assert stranger.get("/api/v1/applications").json() == []
    sample = application.samples.get().number
    # Enterprise users never reject samples: refused before any look-up, whatever the number.
    assert stranger.post(f"/api/v1/samples/{sample}/reject", {"reason": "x", "version": 1},
                         content_type="application/json").status_code == 403
    assert stranger.post(f"/api/v1/applications/{number}/cancel", {"reason": "x", "version": 1},
                         content_type="application/json").status_code == 404
    assert stranger.get("/api/v1/tests?status=pending").status_code == 403  # lab work only


def test_no_credentials_no_data(db) -> None:
    assert Client().get("/api/v1/applications").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer forged").get("/api/v1/applications").status_code \
        == 401
