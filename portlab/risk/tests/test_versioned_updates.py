"""Risk updates through the API need the version the officer saw (issue 11, item 3): retiring
a rule, and changing an existing sampling rate or risk profile."""

import json

from portlab.risk.models import RiskRule


def test_retiring_a_rule_needs_its_current_version(officer_client) -> None:
    created = officer_client.post("/api/v1/risk/rules", json.dumps(
        {"explanation": "Rice from a new exporter", "weight": 0.3, "hs_prefixes": ["1006"]}),
        content_type="application/json").json()
    url = f"/api/v1/risk/rules/{created['id']}/retire"
    missing = officer_client.post(url, json.dumps({"reason": "Exporter audited"}),
                                  content_type="application/json")
    assert missing.status_code == 422
    stale = officer_client.post(url, json.dumps({"reason": "Exporter audited",
                                                 "version": created["version"] + 1}),
                                content_type="application/json")
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    assert RiskRule.objects.get().active is True
    retired = officer_client.post(url, json.dumps({"reason": "Exporter audited",
                                                   "version": created["version"]}),
                                  content_type="application/json").json()
    assert (retired["active"], retired["version"]) == (False, created["version"] + 1)


def put(client, url: str, body: dict):
    return client.put(url, json.dumps(body), content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE="en")


def test_changing_a_sampling_rate_needs_its_version(officer_client) -> None:
    url, body = "/api/v1/risk/rates", {"hs_chapter": "10", "credit_grade": "general",
                                       "rate": 0.05}
    created = put(officer_client, url, body)
    assert (created.status_code, created.json()["version"]) == (200, 1)
    missing = put(officer_client, url, {**body, "rate": 0.08})
    assert missing.status_code == 422
    assert missing.json() == {"detail": "This record exists already (version 1): send the "
                                        "version you are changing.", "field": "version"}
    assert put(officer_client, url, {**body, "rate": 0.08, "version": 2}).status_code == 409
    changed = put(officer_client, url, {**body, "rate": 0.08, "version": 1}).json()
    assert (changed["rate"], changed["version"]) == (0.08, 2)


def test_changing_a_risk_profile_needs_its_version(officer_client, rice_profile) -> None:
    url, body = "/api/v1/risk/profiles", {"hs_prefix": "1006", "test_items": ["PB"]}
    assert put(officer_client, url, body).status_code == 422
    changed = put(officer_client, url, {**body, "version": 1}).json()
    assert (changed["test_items"], changed["version"]) == (["PB"], 2)
