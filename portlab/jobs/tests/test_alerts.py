"""Daily alerts: each lab's managers get what falls due, once a day, in both languages; a new
source is one registration; a run that fails is recorded, retried and sends only what is left."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import make_user
from portlab.accounts.models import Role
from portlab.instruments.services import instrument_register
from portlab.jobs.alerts import ALERT_SOURCES, alert_source
from portlab.jobs.models import AlertSent, ScheduledRun
from portlab.jobs.schedule import SCHEDULE, entry_run
from portlab.network.alerts import alerts_send
from portlab.network.models import Capability
from portlab.quality.services import authorization_grant
from portlab.testing.models import Test

TODAY = timezone.localdate()


@pytest.fixture
def due(staff, lab, assigned_test, lead):
    """One of each: an authorization ending in 10 days, an instrument never calibrated, an
    overdue test; the lab manager has an address."""
    staff["manager"].email = "manager@tj.example"
    staff["manager"].save()
    trainee = make_user("trainee", Role.ANALYST, lab)
    authorization_grant(actor=staff["manager"], user=trainee, lab=lab, duty="testing",
                        capability=Capability.objects.get(lab=lab), valid_from="2020-01-01",
                        valid_to=TODAY + dt.timedelta(days=10))
    instrument_register(actor=staff["manager"], lab=lab, asset_number="TJ-AAS-01",
                        name="AAS", instrument_type="AAS", calibration_interval_days=365,
                        check_interval_days=90)
    Test.objects.filter(pk=assigned_test.pk).update(due_date=TODAY - dt.timedelta(days=2))
    return assigned_test


def alert_entry():
    return next(entry for entry in SCHEDULE if entry.name == "alerts_daily")


def test_the_lab_managers_get_what_falls_due_once_a_day(due, lab) -> None:
    run = alerts_send(TODAY)
    assert (run.mailed, run.already, run.no_address) == ([lab.code], [], [])
    [message] = mail.outbox
    assert message.to == ["manager@tj.example"]
    assert message.subject == (f"天津海关技术中心：到期事项（{TODAY}） / "
                               f"Tianjin Customs Technology Center: what falls due ({TODAY})")
    chinese, english = message.body.split("\n\n----\n\n")
    assert "Authorizations ending within 30 days\n  - trainee, Testing Lead: ends " in english
    assert f"ends {(TODAY + dt.timedelta(days=10)).isoformat()}" in english
    assert "TJ-AAS-01 AAS: calibration, never done" in english
    assert "TJ-AAS-01 AAS: intermediate check, never done" in english
    sample = due.sample.number
    assert f"{sample} Lead: due {(TODAY - dt.timedelta(days=2)).isoformat()}, Assigned" in english
    assert f"{sample} 铅" in chinese and "逾期检测" in chinese
    assert AlertSent.objects.get(lab_code=lab.code, day=TODAY).lines == 4  # per language
    assert alerts_send(TODAY).already == [lab.code]
    assert len(mail.outbox) == 1  # never twice the same day


def test_a_lab_with_nothing_due_or_no_address_gets_no_mail(staff, lab, other_lab) -> None:
    assert alerts_send(TODAY).mailed == []
    instrument_register(actor=staff["manager"], lab=lab, asset_number="TJ-AAS-01",
                        name="AAS", instrument_type="AAS", calibration_interval_days=365)
    run = alerts_send(TODAY)  # the manager has no e-mail address
    assert (run.mailed, run.no_address, mail.outbox) == ([], [lab.code], [])
    assert not AlertSent.objects.exists()


def test_another_source_is_one_line(due, lab, other_lab) -> None:
    try:
        alert_source("retention", "Samples past retention",
                     lambda lab_, today: ["S-1 (kept until 2026-01-01)"] if lab_ == lab else [])
        alerts_send(TODAY)
    finally:
        ALERT_SOURCES.pop("retention")
    assert "Samples past retention\n  - S-1 (kept until 2026-01-01)" in mail.outbox[0].body
    assert len(mail.outbox) == 1  # the other lab has nothing


def test_a_failed_run_is_recorded_and_its_retry_sends_what_is_left(due, lab, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    failed = entry_run(alert_entry())
    assert not failed.ok and "ConnectionRefusedError: mail server down" in failed.detail
    assert not AlertSent.objects.exists()  # nothing marked sent that was not
    monkeypatch.undo()
    retried = entry_run(alert_entry(), attempt=2)
    assert (retried.ok, retried.attempt) == (True, 2)
    assert "1 labs mailed" in retried.detail
    assert list(ScheduledRun.objects.filter(job="alerts_daily").values_list("ok", flat=True)) \
        == [True, False]
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_malformed_date(db) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--date: '2026-13-01' is not a date"):
        call_command("alerts_daily", date="2026-13-01")


def test_a_lab_scoped_manager_of_another_lab_is_not_mailed(due, lab, other_lab) -> None:
    stranger = make_user("stranger", Role.QUALITY_MANAGER, other_lab)
    stranger.email = "stranger@xg.example"
    stranger.save()
    alerts_send(TODAY)
    assert [m.to for m in mail.outbox] == [["manager@tj.example"]]


def test_samples_past_their_retention_are_in_the_alert(due, lab) -> None:
    sample = due.sample
    sample.retain_until = TODAY - dt.timedelta(days=1)
    sample.save(update_fields=["retain_until"])

    alerts_send(TODAY)

    chinese, english = mail.outbox[0].body.split("\n\n----\n\n")
    kept = (TODAY - dt.timedelta(days=1)).isoformat()
    assert "Samples past their retention period" in english
    assert f"{sample.number} {sample.description}: kept until {kept}" in english
    assert f"{sample.number} {sample.description}：留样至 {kept}" in chinese
