"""Every API update of an existing record requires the version it changes (issue 11, item 3):
without it the answer is 422 naming `version`. Creations, heartbeats and the instrument agent's
protocol do not. The list is read from the routers, so a new update route must say which it is."""

import re

from django.test import Client

from conftest import make_user
from portlab.accounts.models import Role
from portlab.accounts.services import api_token_create
from portlab.api import api

# Routes that create a record, or speak a machine protocol, or only read: no version.
CREATIONS_AND_PROTOCOLS = {
    "/tokens", "/tokens/{token_id}/revoke",  # a token is created, then revoked once: no edits
    "/agreements", "/transfers", "/enterprises", "/applications", "/declarations",
    "/risk/rules", "/quality/authorizations", "/quality/qc/runs", "/labs/{code}/routing/apply",
    "/instruments/{asset_number}/commands", "/instruments/{asset_number}/files",
    "/instruments/{asset_number}/bookings", "/applications/{number}/report",
    "/instruments/agent/heartbeat", "/instruments/agent/heartbeats", "/instruments/agent/files",
    "/instruments/agent/commands/{command_id}/ack", "/verify", "/verify/pdf",
    "/catalog/import",  # starts a job: an idempotent bulk import, accounted row by row
    "/labs/{code}/routing",  # starts a routing job, which proposes and changes nothing
    "/enterprises/{credit_code}/verify",  # happens once; a second call is refused (409)
    "/quality/standards/withdraw/{code}",  # one way, once; a second call is refused (409)
    # Computed from every rate under lock; each change moves that rate's version, so an
    # officer's stale save after it is refused (risk/tests/test_training.py).
    "/risk/rates/adapt",
}
# The version of each test is inside the body's "tests" list.
BATCHES = {"/reviews", "/approvals"}
# "Set" routes that create the record or change it: the version is required (422) only when
# the record exists (portlab/risk/tests/test_versioned_updates.py, quality/tests/test_pt.py).
UPSERTS = {"/risk/rates", "/risk/profiles", "/quality/pt/rounds/{round_id}/results"}


def write_operations() -> list[tuple[str, str, bool | None]]:
    """(method, path, whether the body's `version` is required; None: no such field)."""
    api.get_openapi_schema()  # builds every router's operations
    found = []
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in set(operation.methods) & {"POST", "PUT", "PATCH"}:
                    found.append((method, path, _version_required(operation)))
    return found


def _version_required(operation) -> bool | None:
    for model in operation.models:
        for field in model.model_fields.values():
            version = getattr(field.annotation, "model_fields", {}).get("version")
            if version is not None:
                return version.is_required()
    return None


def test_every_update_route_requires_a_version() -> None:
    operations = write_operations()
    assert len(operations) >= 40
    unclassified = []
    for method, path, required in operations:
        if path in CREATIONS_AND_PROTOCOLS | BATCHES | UPSERTS:
            continue
        if "{version}" in path:  # reports/{number}/v{version}/...: the version is the path
            continue
        if required is not True:
            unclassified.append(f"{method} {path}")
    assert unclassified == []


def test_an_update_without_its_version_answers_422_naming_it(db, monkeypatch) -> None:
    # Who may call each route is the route matrix's subject; here the gate is opened so that
    # every update route reaches its body validation with made-up path values.
    monkeypatch.setattr("portlab.api.gate", lambda *arguments: None)
    admin = make_user("root", Role.ADMINISTRATOR, None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=admin, name='t')}")
    checked = 0
    for method, path, required in write_operations():
        if required is not True:
            continue
        url = "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: "1" if m.group(1).endswith("id")
                                 else "close" if m.group(1) == "step" else "X", path)
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 422, (path, response.content)
        assert ["body", "payload", "version"] in [row["loc"] for row in
                                                  response.json()["detail"]], path
        checked += 1
    assert checked == 15
