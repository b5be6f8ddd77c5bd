import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from conftest import PASSWORD, make_user
from portlab.audit.models import AuditEvent
from portlab.instruments.models import Command, StateInterval, Telemetry
from portlab.instruments.tests.conftest import make_assigned_tests

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def agent(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def beat(client: Client, sequence: int, state: str = "idle", sent_at=None, **extra):
    payload = {"sequence": sequence, "state": state,
               "sent_at": (sent_at or timezone.now()).isoformat(), **extra}
    return client.post("/api/v1/instruments/agent/heartbeat", json.dumps(payload),
                       content_type="application/json")


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_ping_needs_no_authentication(db) -> None:
    response = Client().get("/api/v1/instruments/ping")
    assert (response.status_code, response.json()) == (200, {"ok": True})


def test_heartbeat_updates_the_telemetry(instrument, agent_token) -> None:
    response = beat(agent(agent_token), 1, "running", current_run="SEQ-0315",
                    counters={"injections": 12})
    assert response.status_code == 200
    assert response.json() == {"accepted": 1, "state": "running", "pending_commands": False}
    telemetry = Telemetry.objects.get(instrument=instrument)
    assert (telemetry.state, telemetry.current_run, telemetry.counters) == (
        "running", "SEQ-0315", {"injections": 12})
    assert list(StateInterval.objects.values_list("state", "ended_at")) == [("running", None)]


def test_replayed_heartbeat_is_rejected(instrument, agent_token) -> None:
    client = agent(agent_token)
    assert beat(client, 5).status_code == 200
    replay = beat(client, 5)
    assert replay.status_code == 409
    assert replay.json() == {
        "detail": "Heartbeat 5 is not after the last accepted one (5): replayed or out of order.",
        "field": "sequence"}
    assert beat(client, 4).status_code == 409
    assert beat(client, 6).status_code == 200


def test_stale_heartbeat_is_rejected(instrument, agent_token) -> None:
    stale = beat(agent(agent_token), 1, sent_at=timezone.now() - dt.timedelta(minutes=10))
    assert stale.status_code == 400
    assert stale.json()["field"] == "sent_at"
    assert stale.json()["detail"].startswith("The heartbeat was sent 600 s away from the server")
    assert Telemetry.objects.get(instrument=instrument).last_sequence == 0


@pytest.mark.parametrize(("payload", "field"), [
    ({"state": "exploding"}, "state"), ({"sequence": 0}, "sequence")])
def test_bad_heartbeat_names_the_field(instrument, agent_token, payload, field) -> None:
    response = beat(agent(agent_token), **{"sequence": 1, **payload})
    assert (response.status_code, response.json()["field"]) == (400, field)


def test_forged_or_revoked_token_is_401(instrument, agent_token) -> None:
    assert beat(agent("plt_forged"), 1).status_code == 401
    from portlab.instruments.services import instrument_token_create

    instrument_token_create(actor=None, instrument=instrument)  # revokes the first
    assert beat(agent(agent_token), 1).status_code == 401
    assert agent("plt_forged").get("/api/v1/instruments/agent/commands").status_code == 401


def test_commands_are_delivered_until_acknowledged(staff, instrument, agent_token) -> None:
    created = logged_in(staff["analyst"]).post(
        f"/api/v1/instruments/{instrument.asset_number}/commands",
        json.dumps({"kind": "start", "sequence_name": "Pb-As batch 0315"}),
        content_type="application/json")
    assert created.status_code == 201
    client = agent(agent_token)
    assert beat(client, 1).json()["pending_commands"] is True
    first = client.get("/api/v1/instruments/agent/commands").json()
    again = client.get("/api/v1/instruments/agent/commands").json()
    assert [(c["kind"], c["sequence_name"], c["status"]) for c in first] == [
        ("start", "Pb-As batch 0315", "pending")]
    assert [c["status"] for c in again] == ["delivered"]
    ack = client.post(f"/api/v1/instruments/agent/commands/{first[0]['id']}/ack",
                      json.dumps({"ok": True, "message": "started"}),
                      content_type="application/json")
    assert (ack.status_code, ack.json()["status"]) == (200, "done")
    assert client.get("/api/v1/instruments/agent/commands").json() == []
    second_ack = client.post(f"/api/v1/instruments/agent/commands/{first[0]['id']}/ack",
                             json.dumps({"ok": True}), content_type="application/json")
    assert second_ack.status_code == 409
    assert AuditEvent.objects.get(action="instrument_command_ack").actor_name == (
        "agent:TJ-ICPMS-01")


def test_command_for_an_instrument_the_user_does_not_manage_is_refused(
        staff, other_lab, instrument) -> None:
    stranger = make_user("stranger", "lab_manager", other_lab)
    url = f"/api/v1/instruments/{instrument.asset_number}/commands"
    # Another lab's instrument is not revealed; a role that never commands instruments is
    # refused outright.
    for user, status in ((stranger, 404), (staff["reviewer"], 403), (staff["customer"], 403)):
        response = logged_in(user).post(url, json.dumps({"kind": "stop"}),
                                        content_type="application/json")
        assert response.status_code == status, user
    assert response.json()["detail"] == (
        "You need the role “Lab manager / Analyst” for this.")
    assert Command.objects.count() == 0


def test_start_needs_a_sequence_name(staff, instrument) -> None:
    response = logged_in(staff["manager"]).post(
        f"/api/v1/instruments/{instrument.asset_number}/commands",
        json.dumps({"kind": "start"}), content_type="application/json")
    assert (response.status_code, response.json()["field"]) == (400, "sequence_name")


def test_another_instruments_command_cannot_be_acknowledged(staff, lab, instrument,
                                                            agent_token) -> None:
    from portlab.instruments.services import command_create, instrument_token_create
    from portlab.instruments.tests.conftest import calibrate, register

    other = register(staff, lab, "TJ-GCMS-02")
    calibrate(staff, other)
    command = command_create(actor=staff["manager"], instrument=other, kind="stop")
    other_agent = agent(instrument_token_create(actor=None, instrument=other))
    assert other_agent.get("/api/v1/instruments/agent/commands").status_code == 200
    response = agent(agent_token).post(f"/api/v1/instruments/agent/commands/{command.pk}/ack",
                                       json.dumps({"ok": True}), content_type="application/json")
    assert response.status_code == 404


def test_agent_uploads_a_file_once(staff, lab, lead, rice, enterprise, instrument,
                                   agent_token) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001", "TJ240315002"])
    client = agent(agent_token)

    def send():
        with open(FIXTURES / "icpms_masshunter_quant.csv", "rb") as handle:
            return client.post("/api/v1/instruments/agent/files", {"file": handle})

    first, second = send(), send()
    assert (first.status_code, first.json()["matched"], first.json()["held"]) == (200, 2, 4)
    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)


def test_malformed_upload_is_400_with_the_line(instrument, agent_token) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("r.csv", b"sample_id,analyte,value\nS1,PB\n")
    response = agent(agent_token).post("/api/v1/instruments/agent/files", {"file": bad})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Line 2: expected 3 columns, found 2 (truncated or malformed line).",
        "field": "file", "line": 2}


def relay(*items: dict, language: str = "en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/api/v1/instruments/agent/heartbeats", json.dumps({"heartbeats": list(items)}),
        content_type="application/json")


def relayed(token: str, sequence: int, state: str = "idle", sent_at=None) -> dict:
    return {"token": token, "sequence": sequence, "state": state,
            "sent_at": (sent_at or timezone.now()).isoformat()}


@pytest.fixture
def second_token(staff, lab) -> tuple:
    from portlab.instruments.services import instrument_token_create
    from portlab.instruments.tests.conftest import register

    second = register(staff, lab, asset_number="TJ-GCMS-02")
    return second, instrument_token_create(actor=staff["manager"], instrument=second)


def test_a_gateway_relays_heartbeats_of_several_instruments(instrument, agent_token,
                                                            second_token, staff) -> None:
    second, token = second_token
    from portlab.instruments.services import command_create

    command_create(actor=staff["manager"], instrument=second, kind="status")
    response = relay(relayed(agent_token, 7, "running"), relayed(token, 3, "idle"),
                     relayed(agent_token, 8, "running"))
    assert response.status_code == 200
    assert response.json() == {"results": [
        {"accepted": 7, "state": "running", "pending_commands": False, "error": None,
         "field": None},
        {"accepted": 3, "state": "idle", "pending_commands": True, "error": None,
         "field": None},
        {"accepted": 8, "state": "running", "pending_commands": False, "error": None,
         "field": None}]}
    assert dict(Telemetry.objects.values_list("instrument__asset_number", "last_sequence")) == {
        "TJ-ICPMS-01": 8, "TJ-GCMS-02": 3}
    # Each instrument came online once: one open interval each.
    assert sorted(StateInterval.objects.filter(ended_at=None)
                  .values_list("instrument__asset_number", "state")) == [
        ("TJ-GCMS-02", "idle"), ("TJ-ICPMS-01", "running")]


def test_each_relayed_heartbeat_is_refused_on_its_own(instrument, agent_token,
                                                      second_token) -> None:
    _second, token = second_token
    assert beat(agent(agent_token), 5).status_code == 200
    # The clock stands still for the relay, so the skew it reports is exactly the 600 s sent
    # (a slow request would otherwise make it 601).
    with freeze_time(timezone.now()):
        response = relay(relayed("forged-token", 1), relayed(agent_token, 5),
                         relayed(token, 1, sent_at=timezone.now() - dt.timedelta(minutes=10)),
                         relayed(token, 2, "idle"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(item["error"], item["field"]) for item in results[:3]] == [
        ("Unknown or revoked agent token.", "token"),
        ("Heartbeat 5 is not after the last accepted one (5): replayed or out of order.",
         "sequence"),
        ("The heartbeat was sent 600 s away from the server clock (limit 120 s): stale, or "
         "the instrument PC's clock is wrong.", "sent_at")]
    assert results[3]["accepted"] == 2
    assert dict(Telemetry.objects.values_list("instrument__asset_number", "last_sequence")) == {
        "TJ-ICPMS-01": 5, "TJ-GCMS-02": 2}


def test_relayed_refusals_speak_the_users_language(instrument, agent_token) -> None:
    response = relay(relayed("forged-token", 1), language="zh-hans")
    assert response.json()["results"][0]["error"] == "代理令牌无效或已吊销。"


def test_a_relay_batch_is_bounded(instrument, agent_token) -> None:
    too_many = [relayed(agent_token, n + 1) for n in range(1001)]
    response = relay(*too_many)
    assert response.status_code == 422
    assert Telemetry.objects.get(instrument=instrument).last_sequence == 0
    assert relay().status_code == 422
