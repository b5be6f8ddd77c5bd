"""Jobs through the real database queue and worker (django-tasks-db's db_worker, in batch)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portlab.jobs.models import JobRun, ScheduledRun, SchedulerLease
from portlab.jobs.registry import HANDLERS, job
from portlab.jobs.schedule import Entry, entry_run, lease_take
from portlab.jobs.services import JobFailed, job_cancel, job_run, job_start, jobs_recover

CALLS: list[str] = []


@job("count_to")
def count_to(run, progress) -> dict:
    CALLS.append(str(run.pk))
    total = run.params["n"]
    for done in range(1, total + 1):
        progress(done, total, force=True)
    return {"counted": total}


@job("bad_file")
def bad_file(run, progress) -> dict:
    raise JobFailed("2 lines refused", [{"line": 3, "reason": "“x” is not a date"},
                                        {"line": 7, "reason": "unknown lab “ZZ”"}])


@pytest.fixture(autouse=True)
def forget_calls():
    CALLS.clear()
    yield


def work() -> None:
    call_command("worker", batch=True, verbosity=0)


def test_a_job_runs_once_with_progress_and_outcome(transactional_db, django_user_model):
    user = django_user_model.objects.create(username="u")
    run = job_start(kind="count_to", params={"n": 5}, actor=user)
    assert JobRun.objects.get(pk=run.pk).task_result_id  # queued on commit
    work()
    run.refresh_from_db()
    assert (run.state, run.done, run.total, run.percent, run.outcome, run.attempts) == (
        "succeeded", 5, 5, 100, {"counted": 5}, 1)
    job_run(str(run.pk))  # a duplicate delivery changes nothing
    assert CALLS == [str(run.pk)]
    client = Client()
    client.force_login(user)
    status = client.get(f"/jobs/{run.pk}/status/").json()
    assert (status["state"], status["done"], status["finished"]) == ("succeeded", 5, True)


def test_a_refused_input_shows_each_line_and_reason(transactional_db, django_user_model):
    user = django_user_model.objects.create(username="u")
    run = job_start(kind="bad_file", params={}, actor=user)
    work()
    run.refresh_from_db()
    assert (run.state, run.message) == ("failed", "2 lines refused")
    client = Client()
    client.force_login(user)
    page = client.get(f"/jobs/{run.pk}/").content.decode()
    assert "<td>3</td><td>“x” is not a date</td>" in page
    assert "<td>7</td><td>unknown lab “ZZ”</td>" in page
    assert '<span id="job_counts"></span>' in page  # refused before counting: no bare "0"


def test_someone_elses_job_is_not_found(transactional_db, django_user_model):
    owner = django_user_model.objects.create(username="owner")
    other = django_user_model.objects.create(username="other")
    run = job_start(kind="count_to", params={"n": 1}, actor=owner)
    client = Client()
    client.force_login(other)
    assert client.get(f"/jobs/{run.pk}/").status_code == 404
    assert client.get("/jobs/not-a-uuid/").status_code == 404


def test_a_cancelled_queued_job_never_runs(transactional_db, django_user_model):
    user = django_user_model.objects.create(username="u")
    run = job_start(kind="count_to", params={"n": 3}, actor=user)
    job_cancel(run=run, actor=user)
    work()
    run.refresh_from_db()
    assert (run.state, CALLS) == ("cancelled", [])


def test_a_run_whose_worker_died_is_queued_again_then_finished(transactional_db):
    run = job_start(kind="count_to", params={"n": 2})
    JobRun.objects.filter(pk=run.pk).update(  # as a worker killed mid-run leaves it
        state="running", attempts=1, heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert jobs_recover() == {"requeued": 1, "failed": 0}
    work()
    run.refresh_from_db()
    assert (run.state, run.attempts, run.outcome) == ("succeeded", 2, {"counted": 2})


def test_a_run_out_of_attempts_fails_with_the_reason(transactional_db):
    run = job_start(kind="count_to", params={"n": 2}, max_attempts=2)
    JobRun.objects.filter(pk=run.pk).update(
        state="running", attempts=2, heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert jobs_recover() == {"requeued": 0, "failed": 1}
    run.refresh_from_db()
    assert (run.state, run.message) == (
        "failed", "The worker stopped during the job (attempt 2 of 2).")


def test_a_live_run_is_left_alone(transactional_db):
    run = job_start(kind="count_to", params={"n": 2})
    JobRun.objects.filter(pk=run.pk).update(state="running", heartbeat_at=timezone.now())
    assert jobs_recover() == {"requeued": 0, "failed": 0}


def test_one_scheduler_holds_the_lease_until_it_expires(db):
    now = timezone.now()
    assert lease_take("a", now)
    assert not lease_take("b", now + timedelta(seconds=10))
    assert lease_take("a", now + timedelta(seconds=10))  # renewal
    assert lease_take("b", now + timedelta(seconds=41))  # a stopped renewing 31 s ago
    assert SchedulerLease.objects.get().holder == "b"


def test_a_failing_scheduled_job_is_recorded_not_skipped(db):
    record = entry_run(Entry("missing", "no_such_command", "interval", {"seconds": 1}, "", ""))
    assert (record.ok, "no command 'no_such_command'" in record.detail) == (False, True)
    assert entry_run(Entry("recover", "jobs_recover", "interval", {"seconds": 1}, "", "")).ok
    assert ScheduledRun.objects.count() == 2


def test_handlers_are_registered_by_kind() -> None:
    assert HANDLERS["count_to"] is count_to
