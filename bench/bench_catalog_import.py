"""The capability catalog import as its job runs it (rows checked, then written, in chunks of
2,000 with the job's progress stored and its cancel flag read after each) vs the same import in
one chunk with no progress: what reporting progress costs.

Run: python bench/bench_catalog_import.py [rows] [rounds]   (DATABASE_URL for PostgreSQL)

Each timing imports the file into an empty catalog (the catalog is emptied before each), the two
ways alternately, so that both see the same machine; the medians are printed with their ratio.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_bench import setup_django  # noqa: E402

TIANJIN_ITEMS = 8427  # the capability items of Tianjin customs' labs (seeds/)


def catalog_file(rows: int) -> bytes:
    from portlab.network import catalog_rows

    lines = [",".join(catalog_rows.COLUMNS)]
    lines += [f"B-LAB,B{n},项目{n},Item {n},GB {n % 400}-2020,B-M{n % 400},,ICP-MS,no,0.001,"
              f"0.003,mg/kg,120,5,40" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def empty_catalog() -> None:
    from portlab.network.models import Capability, Method, Standard, TestItem

    for model in (Capability, Method, TestItem, Standard):
        model.objects.all().delete()


def main(rows: int = TIANJIN_ITEMS, rounds: int = 3) -> None:
    os.environ.setdefault("PORTLAB_FILE_STORE", tempfile.mkdtemp(prefix="portlab-bench-"))
    vendor = setup_django("catalog-import")
    from portlab.accounts.models import Role, User
    from portlab.accounts.services import role_grant, user_create
    from portlab.files.services import rawfile_store
    from portlab.jobs.models import JobRun
    from portlab.jobs.services import Progress
    from portlab.network.models import District, Lab
    from portlab.network.services import catalog_import
    from portlab.network.tasks import catalog_import_job

    district, _ = District.objects.get_or_create(code="9901", name_zh="测试", city="x")
    Lab.objects.get_or_create(code="B-LAB", district=district, name_zh="测试实验室", city="x")
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:  # a DATABASE_URL given again keeps the first run's importer
        admin = user_create(username="bench-admin", password="x-password-1")
        role_grant(user=admin, role=Role.ADMINISTRATOR)
    content = catalog_file(rows)
    stored = rawfile_store(content=content, name="catalog.csv", actor=admin)

    def as_the_job() -> None:
        run = JobRun.objects.create(kind="catalog_import", started_by=admin, params={
            "file": stored.sha256, "filename": "catalog.csv"})
        assert catalog_import_job(run, Progress(run))["created"] == rows

    def in_one_chunk() -> None:
        summary = catalog_import(actor=admin, content=content, filename="catalog.csv",
                                 chunk=rows)
        assert summary.created == rows

    timings: dict[str, list[float]] = {"job": [], "one": []}
    for _ in range(rounds):
        for name, action in (("job", as_the_job), ("one", in_one_chunk)):
            empty_catalog()
            start = time.perf_counter()
            action()
            timings[name].append(time.perf_counter() - start)
    job, one = statistics.median(timings["job"]), statistics.median(timings["one"])
    print(f"catalog import, {rows:,} rows, {vendor}, median of {rounds}: as the job (chunks of "
          f"2,000, progress stored) {job:.2f} s; one chunk, no progress {one:.2f} s; "
          f"ratio {job / one:.2f}")
    print("  each run (job / one):", " ".join(f"{a:.2f}/{b:.2f}" for a, b in
                                              zip(timings["job"], timings["one"], strict=True)))


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:3]))
