"""Retiring a risk rule through the API changes an existing record: it needs the version the
officer saw (issue 11, item 3)."""

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
