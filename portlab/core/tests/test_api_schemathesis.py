"""Schemathesis over /api/v1/openapi.json: generated requests to every operation, valid and
invalid ones, as a lab manager and as an enterprise user; not one answer may be a server error.

The requests go through Django's WSGI handler in this process, inside the test's transaction;
examples are bounded (MAX_EXAMPLES per operation, mode and role) so the run stays near a minute.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from portlab.accounts.models import ApiToken
from portlab.accounts.services import api_token_create
from portlab.reports import keystore

MAX_EXAMPLES = 5
BOUNDED = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture
def in_process_api(db):
    """Django's WSGI handler, without the per-request connection closing that would end the test's
    transaction (Django's own test client disconnects these signals the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def server_errors(application, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Run every operation in both generation modes; return (operations run, failures)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                try:
                    case.call_and_validate(headers=headers, checks=[not_a_server_error])
                except Exception as failure:  # noqa: BLE001 - collect them all, then report
                    failures.append(f"{case.method} {case.formatted_path}: {failure}"[:400])
                # A generated revocation may hit the caller's own token: keep testing with it.
                ApiToken.objects.update(revoked_at=None)

            try:
                run()
            except Unsatisfiable:  # nothing in this operation can be made invalid
                assert mode is GenerationMode.NEGATIVE
    return len(operations), failures


@pytest.fixture
def signing_keys(settings, tmp_path, lab) -> None:
    """Keys as a production host has them (without, verification rightly answers 503)."""
    settings.PORTLAB_KEYS_DIR = tmp_path / "keys"
    keystore.network_keys_init()


@pytest.mark.schemathesis
@pytest.mark.parametrize("role", ["manager", "customer"])
def test_no_operation_answers_with_a_server_error(in_process_api, staff, application,
                                                  signing_keys, role: str) -> None:
    token = api_token_create(user=staff[role], name="schemathesis")
    count, failures = server_errors(in_process_api, {"Authorization": f"Bearer {token}"})
    assert count >= 60
    assert failures == []
