"""Schedules a person sets: checked, stored with their version, followed by the scheduler; a
malformed cron expression or interval is refused by field and stores nothing."""

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError
from portlab.jobs.management.commands.scheduler import follow
from portlab.jobs.models import JobRun, JobSchedule
from portlab.jobs.schedules import entries_set_by_people, schedule_set


@pytest.fixture
def officer(db):
    return make_user("officer", Role.RISK_OFFICER, None)


def set_cron(officer, cron: str, version: int = 0, enabled: bool = True) -> JobSchedule:
    return schedule_set(actor=officer, name="risk_retrain", enabled=enabled, trigger="cron",
                        cron=cron, version=version)


def test_a_cron_schedule_is_stored_audited_and_becomes_an_entry(officer) -> None:
    row = set_cron(officer, "30 2 * * sun")
    assert (row.enabled, row.cron, row.hours, row.version) == (True, "30 2 * * sun", None, 1)
    [entry] = entries_set_by_people()
    assert (entry.command, entry.trigger, entry.when) == ("risk_train", "cron", {
        "minute": "30", "hour": "2", "day": "*", "month": "*", "day_of_week": "sun"})
    assert AuditEvent.objects.filter(action="schedule_set").count() == 1
    row = schedule_set(actor=officer, name="risk_retrain", enabled=True, trigger="interval",
                       hours=" 12 ", version=1)
    assert (row.cron, row.hours, row.version) == ("", 12, 2)
    assert entries_set_by_people()[0].when == {"hours": 12}


@pytest.mark.parametrize(("trigger", "cron", "hours", "field", "reason"), [
    ("cron", "0 2 * *", None, "cron", "five fields"),
    ("cron", "61 2 * * *", None, "cron",
     "“61 2 * * *” is not valid: the minute field “61” must be within 0–59"),
    ("cron", "0 2 * * funday", None, "cron", "the weekday field “funday” must be within"),
    ("interval", "", "0", "hours", "from 1 to 2160; “0” is not"),
    ("interval", "", "twelve", "hours", "“twelve” is not"),
    ("interval", "", "99999", "hours", "“99999” is not"),
    ("weekly", "", "", "trigger", "how the job repeats"),
])
def test_a_malformed_schedule_is_refused_and_nothing_stored(officer, trigger, cron, hours,
                                                             field, reason) -> None:
    with pytest.raises(ApplicationError) as refused:
        schedule_set(actor=officer, name="risk_retrain", enabled=True, trigger=trigger,
                     cron=cron, hours=hours, version=0)
    assert refused.value.field == field and reason in refused.value.message
    assert not JobSchedule.objects.exists()


def test_a_stale_version_or_unknown_schedule_is_refused(officer) -> None:
    set_cron(officer, "0 2 * * *")
    with pytest.raises(ApplicationError, match="changed this schedule meanwhile"):
        set_cron(officer, "0 3 * * *", version=0)
    with pytest.raises(ApplicationError, match="Unknown schedule “backup”"):
        schedule_set(actor=officer, name="backup", enabled=True, trigger="cron",
                     cron="0 2 * * *", version=0)
    assert JobSchedule.objects.get().cron == "0 2 * * *"


def test_the_scheduler_follows_the_rows(officer) -> None:
    scheduler = BlockingScheduler()  # not started: jobs are only listed
    current: dict = {}

    def add(entry):
        scheduler.add_job(print, entry.trigger, id=entry.name, replace_existing=True,
                          **entry.when)

    follow(scheduler, add, current)
    assert scheduler.get_job("risk_retrain") is None
    set_cron(officer, "0 2 * * 0")
    follow(scheduler, add, current)
    assert isinstance(scheduler.get_job("risk_retrain").trigger, CronTrigger)
    schedule_set(actor=officer, name="risk_retrain", enabled=True, trigger="interval",
                 hours="6", version=1)
    follow(scheduler, add, current)
    trigger = scheduler.get_job("risk_retrain").trigger
    assert isinstance(trigger, IntervalTrigger) and trigger.interval.total_seconds() == 6 * 3600
    set_cron(officer, "0 2 * * 0", version=2, enabled=False)
    follow(scheduler, add, current)
    assert scheduler.get_job("risk_retrain") is None


def test_the_page_keeps_what_was_typed_and_says_why(officer) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.login(username="officer", password=PASSWORD)
    assert client.get("/jobs/schedule/retraining/").status_code == 200
    refused = client.post("/jobs/schedule/retraining/", {
        "enabled": "1", "trigger": "cron", "cron": "0 25 * * *", "version": "0"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'value="0 25 * * *" aria-invalid="true"' in page
    assert "cron 表达式“0 25 * * *”无效：时字段“25”须在 0–23 之内。" in page
    assert not JobSchedule.objects.exists()
    saved = client.post("/jobs/schedule/retraining/", {
        "enabled": "1", "trigger": "cron", "cron": "0 2 * * 0", "version": "0"})
    assert saved.status_code == 302 and JobSchedule.objects.get().cron == "0 2 * * 0"
    admin = make_user("admin", Role.ADMINISTRATOR, None)
    admin.is_staff = True
    admin.save()
    reader = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    reader.force_login(admin)
    listed = reader.get("/jobs/schedule/").content.decode()
    assert "用所有已标注的报关单重新训练风险模型" in listed and "portlab risk_train" in listed
    now = client.post("/jobs/schedule/retraining/", {"now": "1"})
    run = JobRun.objects.get()
    assert (now.url, run.kind, run.started_by) == (f"/jobs/{run.pk}/", "risk_train", officer)


def test_only_the_risk_side_sets_it(staff) -> None:
    client = Client()
    client.login(username="analyst", password=PASSWORD)
    assert client.get("/jobs/schedule/retraining/").status_code == 403
