"""The catalog import as a job: its page counts rows per chunk, and a cancel between the written
chunks leaves nothing written."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from portlab.files.services import rawfile_store
from portlab.jobs.models import JobRun
from portlab.jobs.services import JobCancelled, Progress, job_cancel, job_run, job_start
from portlab.network import services
from portlab.network.models import Capability, TestItem
from portlab.network.tasks import catalog_import_job
from portlab.network.tests.test_catalog_import import five_rows


def start(admin) -> JobRun:
    raw = rawfile_store(content=five_rows(), name="cat.csv", actor=admin)
    return job_start(kind="catalog_import", actor=admin,
                     params={"file": raw.sha256, "filename": "cat.csv"})


def test_the_job_counts_checked_then_written_rows(staff, lab, file_store, monkeypatch) -> None:
    monkeypatch.setattr(services, "CHUNK", 2)
    run = start(staff["admin"])
    messages: list[tuple[int, int | None, str]] = []

    class Watched(Progress):
        def __call__(self, done, total=None, message="", force=False):
            super().__call__(done, total, message, force)
            row = JobRun.objects.get(pk=self.run.pk)
            messages.append((row.done, row.total, row.message))

    outcome = catalog_import_job(run, Watched(run, interval=0))
    assert (outcome["rows"], outcome["created"]) == (5, 5)
    assert messages == [(0, None, "Reading cat.csv"), (2, 5, "Checked 2 of 5 rows"),
                        (4, 5, "Checked 4 of 5 rows"), (5, 5, "Checked 5 of 5 rows"),
                        (0, 5, "Writing 5 rows in one transaction"),
                        (5, 5, "5 rows imported")]


def test_a_cancel_between_written_chunks_writes_nothing(staff, lab, file_store,
                                                         monkeypatch) -> None:
    monkeypatch.setattr(services, "CHUNK", 2)
    run = start(staff["admin"])

    class CancelledAfterTheFirstChunk(Progress):
        def within_transaction(self, done, total=None, message=""):
            if done == 2:
                job_cancel(run=run, actor=staff["admin"])
            super().within_transaction(done, total, message)

    with pytest.raises(JobCancelled):
        catalog_import_job(run, CancelledAfterTheFirstChunk(run, interval=0))
    assert (Capability.objects.count(), TestItem.objects.count()) == (0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite lets one connection write at a time: the import's")
def test_on_postgresql_the_page_sees_the_written_rows_and_its_cancel_stops_them(
        transactional_db, staff, lab, file_store, monkeypatch) -> None:
    """Another session (the page's, the cancel's) sees the count of rows written while the
    import's transaction is open, and its cancel rolls the transaction back."""
    monkeypatch.setattr(services, "CHUNK", 2)
    run = start(staff["admin"])
    page = connections.create_connection(DEFAULT_DB_ALIAS)
    seen: list[tuple[int, str, int]] = []

    def as_the_page_sees_it() -> tuple[int, str, int]:
        with page.cursor() as cursor:
            cursor.execute("SELECT done, message, (SELECT count(*) FROM network_capability) "
                           "FROM jobs_jobrun WHERE id = %s", [run.pk])
            return cursor.fetchone()

    class SeenByThePage(Progress):
        def within_transaction(self, done, total=None, message=""):
            super().within_transaction(done, total, message)
            seen.append(as_the_page_sees_it())
            if done == 2:  # the user presses cancel, in the page's own session
                with page.cursor() as cursor:
                    cursor.execute("UPDATE jobs_jobrun SET cancel_requested = true "
                                   "WHERE id = %s", [run.pk])

    try:
        with pytest.raises(JobCancelled):
            catalog_import_job(run, SeenByThePage(run, interval=0))
        # The next chunk was written and shown, then the cancel was seen: all rolled back.
        assert seen == [(2, "Written 2 of 5 rows", 0)]
        assert as_the_page_sees_it() == (4, "Written 4 of 5 rows", 0)
    finally:
        page.close()
    assert Capability.objects.count() == 0


def test_a_cancelled_import_job_ends_cancelled(staff, lab, file_store) -> None:
    run = start(staff["admin"])
    JobRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    job_run(str(run.pk))
    assert (JobRun.objects.get(pk=run.pk).state, Capability.objects.count()) == (
        "cancelled", 0)
