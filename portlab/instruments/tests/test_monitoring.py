import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from portlab.audit.models import AuditEvent
from portlab.instruments.models import StateInterval, Telemetry
from portlab.instruments.selectors import board
from portlab.instruments.services import Heartbeat, effective_state, heartbeat_record
from portlab.instruments.utilisation import running_hours_per_day

SHANGHAI = ZoneInfo("Asia/Shanghai")


def send(instrument, sequence: int, state: str) -> Telemetry:
    return heartbeat_record(instrument=instrument, beat=Heartbeat(
        sequence=sequence, sent_at=timezone.now(), state=state))


def age(instrument, seconds: int) -> None:
    """Pretend the last heartbeat, and every interval, happened `seconds` earlier."""
    shift = dt.timedelta(seconds=seconds)
    telemetry = Telemetry.objects.get(instrument=instrument)
    Telemetry.objects.filter(pk=telemetry.pk).update(last_seen=telemetry.last_seen - shift)
    for interval in StateInterval.objects.filter(instrument=instrument):
        interval.started_at -= shift
        interval.ended_at = interval.ended_at and interval.ended_at - shift
        interval.save()


def test_instrument_is_offline_after_60_silent_seconds(instrument) -> None:
    telemetry = send(instrument, 1, "running")
    now = timezone.now()
    assert effective_state(telemetry, now + dt.timedelta(seconds=59)) == "running"
    assert effective_state(telemetry, now + dt.timedelta(seconds=61)) == "offline"


def test_sweep_records_the_offline_transition_once(instrument) -> None:
    send(instrument, 1, "running")
    age(instrument, 3600)
    call_command("instruments_sweep")
    call_command("instruments_sweep")
    intervals = list(StateInterval.objects.order_by("started_at")
                     .values_list("state", flat=True))
    assert intervals == ["running", "offline"]
    assert AuditEvent.objects.filter(action="instrument_offline").count() == 1
    send(instrument, 2, "idle")
    rows = StateInterval.objects.order_by("started_at")
    assert [(row.state, row.ended_at is None) for row in rows] == [
        ("running", False), ("offline", False), ("idle", True)]


def test_running_hours_stop_at_the_last_heartbeat_without_a_sweep(instrument) -> None:
    send(instrument, 1, "running")
    age(instrument, 2 * 3600)  # ran, then went silent two hours ago
    send(instrument, 2, "running")
    running = StateInterval.objects.filter(state="running").order_by("started_at")
    first = running[0]
    assert (first.ended_at - first.started_at) < dt.timedelta(seconds=1)
    assert StateInterval.objects.filter(state="offline").count() == 1


def test_hours_per_day_split_at_midnight() -> None:
    start = dt.datetime(2024, 3, 15, 22, 0, tzinfo=SHANGHAI)
    intervals = [("running", start, start + dt.timedelta(hours=5)),
                 ("idle", start, start + dt.timedelta(hours=9)),
                 ("running", start + dt.timedelta(hours=12), start + dt.timedelta(hours=13))]
    hours = running_hours_per_day(intervals, [dt.date(2024, 3, 15), dt.date(2024, 3, 16)],
                                  SHANGHAI)
    assert hours == {dt.date(2024, 3, 15): 2.0, dt.date(2024, 3, 16): 4.0}


def test_board_reports_utilisation(staff, instrument) -> None:
    send(instrument, 1, "running")
    age(instrument, 3 * 3600)
    send(instrument, 2, "running")  # a lapse: the first run counts until its last heartbeat
    StateInterval.objects.filter(state="running", ended_at__isnull=False).update(
        ended_at=timezone.now() - dt.timedelta(hours=1))  # it really ran two hours
    [(lab, rows)] = board(staff["manager"])
    assert rows[0].state == "running"
    assert round(rows[0].hours_week, 2) == 2.0


def test_board_is_only_for_the_users_labs(staff, instrument, outsider) -> None:
    assert board(outsider) == []
    assert board(staff["customer"]) == []


def test_board_page_draws_an_svg_chart(staff, instrument) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="manager", password=PASSWORD)
    page = client.get("/instruments/board/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-asset="TJ-ICPMS-01"' in html and "<svg" in html and "setInterval" in html
    partial = client.get("/instruments/board/?partial=1").content.decode()
    assert "<svg" in partial and "<html" not in partial
