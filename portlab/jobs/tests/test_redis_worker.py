"""The same jobs on Redis: enqueued through django-tasks-rq, run by `portlab worker` (an RQ
worker) in another process. Redis database 5 (PORTLAB_TEST_REDIS_URL); skipped when no Redis
server answers, and on SQLite, whose test database the worker process cannot reach."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from portlab.accounts.models import Role
from portlab.accounts.services import role_grant, user_create
from portlab.files.services import rawfile_store
from portlab.jobs.models import JobRun
from portlab.jobs.services import job_start
from portlab.network import catalog_rows
from portlab.network.models import Capability

REDIS_URL = os.environ.get("PORTLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # no server, no route: the test is skipped, saying why
        return False


pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="the worker process needs a database it can reach (PostgreSQL)"),
    pytest.mark.skipif(not redis_answers(), reason=f"no Redis server at {REDIS_URL}"),
]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def rq_worker(tmp_path: Path) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": REDIS_URL,
                   "PORTLAB_FILE_STORE": str(tmp_path)}
    return subprocess.Popen([sys.executable, "-m", "portlab.cli", "worker"], env=environment,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_finished(run: JobRun, seconds: float = 120) -> JobRun:
    deadline = time.monotonic() + seconds
    while JobRun.objects.get(pk=run.pk).state not in JobRun.FINISHED:
        assert time.monotonic() < deadline, "the RQ worker did not finish the job"
        time.sleep(0.1)
    return JobRun.objects.get(pk=run.pk)


@pytest.fixture
def on_redis(settings, tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.STORAGES = {**settings.STORAGES, "rawfiles": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    worker = rq_worker(tmp_path)
    yield
    worker.terminate()
    worker.wait(timeout=30)


def catalog(lines: list[str]) -> bytes:
    return ("\n".join([",".join(catalog_rows.COLUMNS), *lines]) + "\n").encode()


def test_jobs_run_on_redis_with_a_real_rq_worker(transactional_db, on_redis) -> None:
    from portlab.network.models import District, Lab

    district = District.objects.create(code="9900", name_zh="测试", name_en="Test", city="x")
    Lab.objects.create(code="K-LAB", district=district, kind=Lab.Kind.ROUTINE,
                       name_zh="测试实验室", name_en="Test lab", city="x")
    admin = user_create(username="admin", password="x-password-1")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    good = rawfile_store(content=catalog(
        [f"K-LAB,K{n},项目{n},Item {n},GB 1-2020,K-M{n},,ICP-MS,no,,,mg/kg,10,5,40"
         for n in range(50)]), name="good.csv", actor=admin)
    bad = rawfile_store(content=catalog(
        ["K-LAB,B1,项目,Item,GB 1-2020,B-M1,,ICP-MS,no,,,mg/kg,10,5,40",
         "NO-LAB,B2,项目,Item,GB 1-2020,B-M2,,ICP-MS,no,,,mg/kg,10,5,40"]),
        name="bad.csv", actor=admin)

    run = job_start(kind="catalog_import", actor=admin,
                    params={"file": good.sha256, "filename": "good.csv"})
    refused = job_start(kind="catalog_import", actor=admin,
                        params={"file": bad.sha256, "filename": "bad.csv"})
    run, refused = wait_finished(run), wait_finished(refused)

    assert run.task_result_id and run.worker  # queued on RQ, claimed by the worker
    assert (run.state, run.attempts, run.outcome["rows"], run.outcome["created"]) == (
        "succeeded", 1, 50, 50)
    assert refused.state == "failed"
    assert [error["line"] for error in refused.errors] == [3]
    assert "NO-LAB" in refused.errors[0]["reason"]
    assert Capability.objects.count() == 50  # the refused file wrote nothing
