"""The agents' addresses go through the WSGI application's shorter middleware stack
(portlab/core/machine_routes.py): still authenticated by the agent token, refused in the
agent's language, behind the Host check and the security headers; pages keep the whole stack."""

import io
import json
import sys

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone

from portlab.core.machine_routes import with_machine_routes
from portlab.instruments.models import Telemetry

HEARTBEAT = "/api/v1/instruments/agent/heartbeat"


@pytest.fixture
def application(db):
    """The application as config/wsgi.py builds it; like Django's test client, it leaves the
    test's database connection open between requests (the test's transaction lives on it)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield with_machine_routes(WSGIHandler())
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def call(application, method: str, path: str, body: bytes = b"", host: str = "testserver",
         **headers: str) -> tuple[int, dict[str, str], bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": host,
               "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
               **{f"HTTP_{name.upper()}": value for name, value in headers.items()}}
    answer: dict = {}

    def start_response(status: str, response_headers: list, exc_info=None) -> None:
        answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

    chunks = application(environ, start_response)
    content = b"".join(chunks)
    chunks.close()
    return answer["status"], answer["headers"], content


def heartbeat(application, token: str, sequence: int, **headers: str):
    body = json.dumps({"sequence": sequence, "state": "running",
                       "sent_at": timezone.now().isoformat()}).encode()
    return call(application, "POST", HEARTBEAT, body, authorization=f"Bearer {token}",
                **headers)


def test_a_heartbeat_through_the_short_stack(application, instrument, agent_token) -> None:
    status, headers, content = heartbeat(application, agent_token, 3, accept_language="en")
    assert (status, json.loads(content)) == (
        200, {"accepted": 3, "state": "running", "pending_commands": False})
    assert Telemetry.objects.get(instrument=instrument).last_sequence == 3
    assert (headers["X-Content-Type-Options"], headers["Content-Language"]) == ("nosniff", "en")
    assert "Content-Security-Policy" not in headers and "Set-Cookie" not in headers


def test_a_forged_token_is_refused_in_the_agents_language(application, instrument) -> None:
    status, _headers, content = heartbeat(application, "plt_forged", 1,
                                          accept_language="zh-hans")
    assert (status, json.loads(content)) == (
        401, {"detail": "代理令牌无效或已吊销。", "field": "token"})


def test_a_revoked_token_is_refused(application, instrument, agent_token) -> None:
    from portlab.instruments.services import instrument_token_create

    instrument_token_create(actor=None, instrument=instrument)  # revokes the first
    status, _headers, content = heartbeat(application, agent_token, 1, accept_language="en")
    assert (status, json.loads(content)) == (
        401, {"detail": "Unknown or revoked agent token.", "field": "token"})


def test_an_unknown_host_is_refused_on_the_short_stack(application, agent_token) -> None:
    status, _headers, _content = heartbeat(application, agent_token, 1,
                                           host="evil.example")
    assert status == 400


def test_other_addresses_keep_the_whole_stack(application) -> None:
    status, headers, content = call(application, "GET", "/api/v1/instruments/ping")
    assert (status, json.loads(content)) == (200, {"ok": True})
    assert "Content-Security-Policy" in headers
