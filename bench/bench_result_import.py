"""Importing a 100,000-row generic CSV result file vs a plain bulk_create of the same results.

Run: python bench/bench_result_import.py [rows]

A temporary SQLite database holds rows/10 received samples with 10 assigned tests each. The
import goes through `result_file_import`: the file stored in the file store (SHA-256), parsed,
every row matched to its sample and test and staged in chunks of 5,000 (each its own
transaction), then published in one step, every row accounted for (matched or held). The
analyst's bulk confirmation (`import_rows_confirm`) then enters them with what result_enter
does per row (role and assignment guards, unit conversion, conformity judgement, test and
sample workflow, one audit event per result in the hash chain, the instrument link and the
provenance fields), in chunks of 2,000. The baseline inserts the same Result rows with one
bulk_create and nothing else, in the same run (then rolled back).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ITEMS = 10


def setup(rows: int):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from portlab.accounts.models import Enterprise, Role
    from portlab.accounts.services import role_grant, user_create
    from portlab.instruments.services import calibration_record, instrument_register
    from portlab.network.models import (
        Capability,
        District,
        Lab,
        Method,
        ProductCategory,
        Standard,
        TestItem,
    )

    district = District.objects.create(code="0200", name_zh="天津海关", city="天津")
    lab = Lab.objects.create(code="TJ", district=district, name_zh="技术中心", city="天津")
    manager = user_create(username="manager", password="x-password-1")
    analyst = user_create(username="analyst", password="x-password-1")
    role_grant(user=manager, role=Role.LAB_MANAGER, scope=lab)
    role_grant(user=analyst, role=Role.ANALYST, scope=lab)
    standard = Standard.objects.create(code="GB 5009.268-2016", name_zh="多元素的测定")
    method = Method.objects.create(code="GB 5009.268 ICP-MS", standard=standard,
                                   technique="ICP-MS")
    capabilities = []
    for n in range(ITEMS):
        item = TestItem.objects.create(code=f"EL{n}", name_zh=f"元素{n}", unit="mg/kg")
        capabilities.append(Capability.objects.create(
            lab=lab, test_item=item, method=method, unit="mg/kg", price=Decimal(100),
            turnaround_days=5, daily_capacity=1000))
    enterprise = Enterprise.objects.create(credit_code="914403001922038216", name_zh="企业")
    category = ProductCategory.objects.create(code="RICE", name_zh="大米")
    instrument = instrument_register(actor=manager, lab=lab, asset_number="BENCH-ICPMS",
                                     name="ICP-MS", instrument_type="ICP-MS",
                                     export_format="generic_csv")
    calibration_record(actor=manager, instrument=instrument, date=dt.date.today(),
                       certificate_number="C-1", provider="NIM", result="pass")
    numbers = create_tests(lab, enterprise, category, analyst, capabilities, rows // ITEMS)
    return manager, instrument, numbers


def create_tests(lab, enterprise, category, analyst, capabilities, samples: int) -> list[str]:
    from django.utils import timezone

    from portlab.intake.models import Application, Sample
    from portlab.testing.models import Test

    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(number=f"A{n:08d}", enterprise=enterprise, lab=lab, goods_description="米",
                    hs_code="1006302000", purpose="import", product_category=category,
                    status="in_testing", submitted_by=analyst, submitted_at=now)
        for n in range(samples // 10 + 1))
    created = Sample.objects.bulk_create(
        Sample(number=f"S{n:08d}", application=applications[n // 10], description="米",
               status="in_testing", received_at=now) for n in range(samples))
    Test.objects.bulk_create(
        Test(sample=sample, test_item_id=capability.test_item_id, capability=capability,
             lab=lab, analyst=analyst, status="assigned", due_date=now.date(), created_at=now)
        for sample in created for capability in capabilities)
    return [sample.number for sample in created]


def csv_content(numbers: list[str]) -> bytes:
    lines = ["sample_id,analyte,value,unit"]
    lines += [f"{number},EL{n},{0.01 * (n + 1):.3f},mg/kg"
              for number in numbers for n in range(ITEMS)]
    return ("\n".join(lines) + "\n").encode()


def baseline_seconds(analyst_id: int) -> float:
    """bulk_create of the same results, rolled back afterwards."""
    from django.db import transaction
    from django.utils import timezone

    from portlab.testing.models import Result, Test

    tests = list(Test.objects.values_list("pk", "test_item__code"))
    now = timezone.now()
    with transaction.atomic():
        start = time.perf_counter()
        Result.objects.bulk_create(
            (Result(test_id=pk, kind="numeric", entered_value=f"{0.01 * (int(code[2:]) + 1):.3f}",
                    entered_unit="mg/kg", value=0.01 * (int(code[2:]) + 1), unit="mg/kg",
                    entered_by_id=analyst_id, entered_at=now) for pk, code in tests),
            batch_size=2000)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def main(rows: int = 100_000) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="portlab-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["PORTLAB_FILE_STORE"] = str(workdir / "files")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    manager, instrument, numbers = setup(rows)
    content = csv_content(numbers)
    from portlab.accounts.models import User
    from portlab.files.services import rawfile_read
    from portlab.instruments.services import import_rows_confirm, result_file_import
    from portlab.testing.models import Result

    analyst = User.objects.get(username="analyst")
    count = len(numbers) * ITEMS
    base = baseline_seconds(analyst.pk)
    start = time.perf_counter()
    outcome = result_file_import(actor=manager, instrument=instrument, filename="bench.csv",
                                 content=content)
    seconds = time.perf_counter() - start
    assert sum(outcome.counts.values()) == outcome.counts["matched"] == count  # every row
    assert rawfile_read(sha256=outcome.result_file.sha256) == content  # the raw file kept
    start = time.perf_counter()
    entered = import_rows_confirm(actor=analyst, result_file=outcome.result_file)
    confirm_seconds = time.perf_counter() - start
    assert entered == Result.objects.filter(raw_file__isnull=False).count() == count
    again = time.perf_counter()
    assert result_file_import(actor=manager, instrument=instrument, filename="bench.csv",
                              content=content).duplicate
    duplicate_seconds = time.perf_counter() - again
    print(f"rows: {count}, file {len(content) / 1e6:.1f} MB, SQLite (WAL) in {workdir}")
    print(f"import (store, stage, publish) {seconds:8.2f} s  ({count / seconds:8.0f} rows/s)")
    print(f"analyst's bulk confirmation    {confirm_seconds:8.2f} s  "
          f"({count / confirm_seconds:8.0f} rows/s)")
    print(f"bulk_create baseline           {base:8.2f} s  ({count / base:8.0f} rows/s)")
    print(f"ratio import/bulk_create: {seconds / base:.1f}x; "
          f"import + confirmation/bulk_create: {(seconds + confirm_seconds) / base:.1f}x")
    print(f"same file again (sha256, held rows retried): {duplicate_seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:2]))
