"""The agent against a live server: heartbeats, file upload and commands over real HTTP."""

import os
import time

import pytest
from django.core.management import call_command

from portlab.instruments.agent.adapters.simulator import Simulator
from portlab.instruments.agent.client import AgentClient, ServerError
from portlab.instruments.agent.runner import Agent
from portlab.instruments.models import Command, ResultFile, Telemetry
from portlab.instruments.services import command_create
from portlab.instruments.tests.conftest import FIXTURES, make_assigned_tests
from portlab.testing.models import Result

pytestmark = pytest.mark.django_db(transaction=True)


def watch_folder(tmp_path, *names: str):
    for name in names:
        target = tmp_path / name
        target.write_bytes((FIXTURES / name).read_bytes())
        old = time.time() - 60
        os.utime(target, (old, old))
    return tmp_path


def test_one_agent_cycle_reports_uploads_and_obeys(live_server, staff, lab, lead, rice,
                                                   enterprise, instrument, agent_token,
                                                   tmp_path) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001", "TJ240315002"])
    command_create(actor=staff["analyst"], instrument=instrument, kind="start",
                   sequence_name="Pb batch")
    simulator = Simulator()
    agent = Agent(AgentClient(live_server.url, agent_token), simulator,
                  watch=watch_folder(tmp_path, "icpms_masshunter_quant.csv"))
    outcome = agent.cycle()
    assert (outcome["files"][0]["matched"], outcome["files"][0]["held"]) == (2, 4)
    assert [c["status"] for c in outcome["commands"]] == ["done"]
    assert outcome["heartbeat"]["state"] == "running"
    # The values wait for the analyst's confirmation before they become results.
    assert (simulator.state, Result.objects.count()) == ("running", 0)
    assert Telemetry.objects.get(instrument=instrument).current_run == "Pb batch"
    assert Command.objects.get().response == "started Pb batch"
    again = agent.cycle()
    assert again["files"] == []  # already sent, unchanged
    assert ResultFile.objects.count() == 1


def test_refused_file_is_reported_not_fatal(live_server, instrument, agent_token,
                                            tmp_path) -> None:
    folder = watch_folder(tmp_path, "xrf_elements.csv")
    content = (folder / "xrf_elements.csv").read_bytes()
    (folder / "xrf_elements.csv").write_bytes(content[:content.rindex(b",")])  # truncated
    old = time.time() - 60
    os.utime(folder / "xrf_elements.csv", (old, old))
    agent = Agent(AgentClient(live_server.url, agent_token), Simulator(), watch=folder)
    files = agent.cycle()["files"]
    assert [(f["filename"], f["status"]) for f in files] == [("xrf_elements.csv", "failed")]
    assert files[0]["detail"].startswith("第 8 行")  # server default: zh, names the line


def test_unknown_samples_are_held_not_refused(live_server, instrument, agent_token,
                                              tmp_path) -> None:
    agent = Agent(AgentClient(live_server.url, agent_token), Simulator(),
                  watch=watch_folder(tmp_path, "xrf_elements.csv"))
    files = agent.cycle()["files"]
    assert (files[0]["status"], files[0]["held"], files[0]["matched"]) == ("imported", 8, 0)


def test_wrong_token_stops_the_agent(live_server, instrument) -> None:
    agent = Agent(AgentClient(live_server.url, "plt_wrong"), Simulator())
    with pytest.raises(ServerError) as caught:
        agent.cycle()
    assert caught.value.status == 401


def test_management_command_runs_once(live_server, instrument, agent_token, capsys) -> None:
    call_command("agent", "--url", live_server.url, "--token", agent_token, "--once")
    assert "'accepted'" in capsys.readouterr().out
    assert Telemetry.objects.get(instrument=instrument).state == "idle"


def test_a_gateway_relays_heartbeats_over_http(live_server, instrument, agent_token) -> None:
    import datetime as dt

    now = dt.datetime.now(dt.UTC).isoformat()
    results = AgentClient(live_server.url, "").relay_heartbeats([
        {"token": agent_token, "sequence": 1, "state": "running", "sent_at": now},
        {"token": "not-a-token", "sequence": 1, "state": "idle", "sent_at": now}])
    assert results[0]["accepted"] == 1 and results[0]["state"] == "running"
    assert results[1]["error"] == "代理令牌无效或已吊销。"  # the site speaks Chinese by default
    assert Telemetry.objects.get(instrument=instrument).state == "running"
