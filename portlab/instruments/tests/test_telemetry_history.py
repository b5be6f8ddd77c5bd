"""Heartbeats move the instrument's current row and leave at most one history sample per
5-minute slot; the history is partitioned by day on PostgreSQL (made ahead, dropped after the
retention) and rolled up per hour. No heartbeat writes an audit event."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from portlab.audit.models import AuditEvent
from portlab.instruments import telemetry_store
from portlab.instruments.models import Telemetry, TelemetryHour, TelemetrySample
from portlab.jobs.schedule import SCHEDULE

UTC = dt.UTC


def beat(token: str, sequence: int, state: str = "running", **extra):
    payload = {"sequence": sequence, "state": state, "sent_at": timezone.now().isoformat(),
               **extra}
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/instruments/agent/heartbeat", json.dumps(payload),
        content_type="application/json")


def samples(instrument) -> list[tuple]:
    return list(TelemetrySample.objects.filter(instrument_id=instrument.pk).order_by("at")
                .values_list("at", "state", "counters"))


def test_one_sample_per_five_minute_slot_and_no_audit_event(instrument, agent_token) -> None:
    audited = AuditEvent.objects.count()
    with freeze_time("2026-09-29 02:00:10+00:00") as clock:
        assert beat(agent_token, 1, counters={"injections": 1}).status_code == 200
        clock.tick(dt.timedelta(seconds=60))
        assert beat(agent_token, 2, counters={"injections": 2}).status_code == 200
        clock.tick(dt.timedelta(seconds=240))  # 02:05:10: a new slot
        assert beat(agent_token, 3, "idle", counters={"injections": 3}).status_code == 200
        assert beat(agent_token, 3).status_code == 409  # a replay leaves no sample
    assert samples(instrument) == [
        (dt.datetime(2026, 9, 29, 2, 0, tzinfo=UTC), "running", {"injections": 1}),
        (dt.datetime(2026, 9, 29, 2, 5, tzinfo=UTC), "idle", {"injections": 3})]
    row = Telemetry.objects.get(instrument=instrument)
    assert (row.last_sequence, row.state, row.counters) == (3, "idle", {"injections": 3})
    assert AuditEvent.objects.count() == audited


def test_relayed_heartbeats_leave_samples_too(instrument, agent_token) -> None:
    body = {"heartbeats": [{"token": agent_token, "sequence": 7, "state": "error",
                            "sent_at": timezone.now().isoformat(), "counters": {"t": 21.5}}]}
    answer = Client().post("/api/v1/instruments/agent/heartbeats", json.dumps(body),
                           content_type="application/json")
    assert answer.json()["results"][0]["accepted"] == 7
    assert [(state, counters) for _at, state, counters in samples(instrument)] == [
        ("error", {"t": 21.5})]


def test_a_bad_heartbeat_with_a_forged_token_is_401_not_400(instrument) -> None:
    answer = beat("plt_forged", 0)
    assert (answer.status_code, answer.json()["detail"]) == (
        401, "Unknown or revoked agent token.")


def test_hourly_rollup_counts_states_and_is_the_same_when_run_again(instrument) -> None:
    hour = dt.datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
    states = ["running"] * 7 + ["error"] * 2 + ["idle"] * 3  # twelve 5-minute slots
    TelemetrySample.objects.bulk_create(
        TelemetrySample(instrument_id=instrument.pk, at=hour + dt.timedelta(minutes=5 * n),
                        state=state, counters={}) for n, state in enumerate(states))
    TelemetrySample.objects.create(instrument_id=instrument.pk, at=hour + dt.timedelta(hours=1),
                                   state="running", counters={})  # the next hour: not yet
    for _run in range(2):
        assert telemetry_store.hours_rollup(hour, hour + dt.timedelta(minutes=90)) == 1
    assert list(TelemetryHour.objects.values_list("hour", "samples", "running", "error")) == [
        (hour, 12, 7, 2)]


def test_rollup_due_starts_at_the_last_hour_rolled_up(instrument) -> None:
    now = dt.datetime(2026, 9, 29, 5, 17, tzinfo=UTC)
    assert telemetry_store.rollup_due(now) == (now.replace(minute=0) - dt.timedelta(days=1),
                                               now.replace(minute=0))
    TelemetryHour.objects.create(instrument=instrument, hour=now.replace(hour=3, minute=0),
                                 samples=1, running=0, error=0)
    assert telemetry_store.rollup_due(now) == (now.replace(hour=3, minute=0),
                                               now.replace(minute=0))


def test_scheduler_runs_partitions_and_rollup_hourly() -> None:
    entries = {entry.name: (entry.command, entry.trigger, entry.when) for entry in SCHEDULE}
    assert entries["telemetry_partitions"] == ("telemetry_partitions", "cron", {"minute": 5})
    assert entries["telemetry_rollup"] == ("telemetry_rollup", "cron", {"minute": 2})


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps one plain table")
def test_sqlite_retention_deletes_old_samples(instrument, settings) -> None:
    settings.PORTLAB_TELEMETRY_DAYS = 7
    for day in (1, 20, 23):
        TelemetrySample.objects.create(instrument_id=instrument.pk, state="idle", counters={},
                                       at=dt.datetime(2026, 9, day, tzinfo=UTC))
    telemetry_store.partitions_maintain(dt.date(2026, 9, 29))
    assert [at.day for at, _s, _c in samples(instrument)] == [23]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_partitions_made_ahead_moved_from_default_and_dropped(instrument, settings) -> None:
    settings.PORTLAB_TELEMETRY_DAYS = 7
    caught = dt.datetime(2026, 9, 30, 8, 0, tzinfo=UTC)  # no partition for that day yet
    TelemetrySample.objects.create(instrument_id=instrument.pk, at=caught, state="idle",
                                   counters={})
    made = telemetry_store.partitions_maintain(dt.date(2026, 9, 29))["created"]
    assert made == [f"instruments_telemetrysample_p202609{d}" for d in (29, 30)] + [
        f"instruments_telemetrysample_p202610{d:02d}" for d in range(1, 7)]
    with connection.cursor() as cursor:  # the row caught by the default partition moved
        cursor.execute("SELECT tableoid::regclass::text FROM instruments_telemetrysample")
        assert [row[0] for row in cursor.fetchall()] == ["instruments_telemetrysample_p20260930"]
    dropped = telemetry_store.partitions_maintain(dt.date(2026, 10, 10))["dropped"]
    assert dropped == [f"instruments_telemetrysample_p202609{d}" for d in (29, 30)] + [
        f"instruments_telemetrysample_p202610{d:02d}" for d in (1, 2)]
    assert samples(instrument) == []


def test_partition_command_reports_what_it_did(db, capsys) -> None:
    call_command("telemetry_partitions")
    assert "retention 7 days" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage options")
def test_telemetry_rows_leave_room_on_their_page_for_updates(db) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s",
                       [Telemetry._meta.db_table])
        assert cursor.fetchone()[0] == ["fillfactor=50"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_a_heartbeat_is_one_prepared_statement(instrument, agent_token) -> None:
    assert beat(agent_token, 1).status_code == 200  # opens the 5-minute slot: a state change
    with CaptureQueriesContext(connection) as queries:
        assert beat(agent_token, 2).json() == {"accepted": 2, "state": "running",
                                               "pending_commands": False}
    assert len(queries) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements "
                       "WHERE statement LIKE %s AND from_sql = false",
                       ["%JOIN instruments_telemetry t%"])
        assert cursor.fetchone()[0] == 1
