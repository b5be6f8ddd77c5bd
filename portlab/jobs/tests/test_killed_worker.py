"""A real worker process killed mid-import leaves nothing half-written, and the recovered job
imports the whole file. PostgreSQL only: the worker is another process and must reach the
test database, which on SQLite lives in this process's memory."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from portlab.accounts.models import Role
from portlab.accounts.services import role_grant, user_create
from portlab.files.services import rawfile_store
from portlab.jobs.models import JobRun
from portlab.jobs.services import job_start, jobs_recover
from portlab.network import catalog_rows
from portlab.network.models import Capability

ROWS = 30_000

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the worker process needs a database it can reach (PostgreSQL in CI)")


def catalog_file() -> bytes:
    lines = [",".join(catalog_rows.COLUMNS)]
    lines += [f"K-LAB,K{n},项目{n},Item {n},GB 1-2020,K-M{n},,ICP-MS,no,,,mg/kg,10,5,40"
              for n in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def worker(tmp_path: Path) -> subprocess.Popen:
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
           f"{settings['PORT']}/{settings['NAME']}")
    environment = {**os.environ, "DATABASE_URL": url, "PORTLAB_FILE_STORE": str(tmp_path)}
    return subprocess.Popen([sys.executable, "-m", "portlab.cli", "worker", "--interval", "0.2"],
                            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_import_is_recovered_whole(transactional_db, settings, tmp_path) -> None:
    from portlab.network.models import District, Lab

    settings.STORAGES = {**settings.STORAGES, "rawfiles": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    district = District.objects.create(code="9900", name_zh="测试", name_en="Test", city="x")
    Lab.objects.create(code="K-LAB", district=district, kind=Lab.Kind.ROUTINE,
                       name_zh="测试实验室", name_en="Test lab", city="x")
    admin = user_create(username="admin", password="x-password-1")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    raw = rawfile_store(content=catalog_file(), name="big.csv", actor=admin)
    run = job_start(kind="catalog_import", actor=admin,
                    params={"file": raw.sha256, "filename": "big.csv"})

    first = worker(tmp_path)
    try:
        # Killed inside the import's write transaction, once the page shows rows written.
        wait_for(lambda: JobRun.objects.get(pk=run.pk).message.startswith(("Written ", "已写入 ")),
                 120)
        assert JobRun.objects.get(pk=run.pk).state == JobRun.State.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    assert Capability.objects.count() == 0  # nothing half-written

    assert jobs_recover(stale_after=timedelta(0)) == {"requeued": 1, "failed": 0}
    second = worker(tmp_path)
    try:
        wait_for(lambda: JobRun.objects.get(pk=run.pk).state in JobRun.FINISHED, 300)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    run.refresh_from_db()
    assert (run.state, run.attempts, run.outcome["rows"]) == ("succeeded", 2, ROWS)
    assert Capability.objects.count() == ROWS
