"""Large synthetic networks for benchmarks: labs, catalog and years of test history.

History rows are bulk-inserted directly (not through the services, and not audited): they
stand for work already done, at a scale (2,000,000 tests) the services would take hours to
replay one by one.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from portlab.accounts.credit_code import ALPHABET, check_character
from portlab.accounts.models import Enterprise, User
from portlab.intake.models import Application, Sample
from portlab.network.models import Capability, District, Lab, Method, Standard, TestItem
from portlab.testing.models import Test

BATCH = 5000
TESTS_PER_SAMPLE = 6
LAB_KINDS = ["key", "regional", "routine", "routine"]
TEST_STATUSES = ["approved"] * 14 + ["pending", "assigned", "resulted", "reviewed"]


@dataclass
class GenerateSummary:
    districts: int
    labs: int
    capabilities: int
    applications: int
    samples: int
    tests: int


def credit_code(rng: random.Random) -> str:
    body = "91" + f"{rng.randint(110000, 659999)}" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def network(labs: int, districts: int, prefix: str) -> list[Lab]:
    rows = [District(code=f"{prefix}{d:04d}", name_zh=f"第{d}直属海关", name_en=f"District {d}",
                     city=f"City {d}") for d in range(districts)]
    District.objects.bulk_create(rows)
    district_rows = list(District.objects.filter(code__startswith=prefix).order_by("code"))
    Lab.objects.bulk_create(
        Lab(code=f"{prefix}L{i:05d}", district=district_rows[i % districts],
            kind=LAB_KINDS[i % 4], cnas_number=f"CNAS L{i:05d}" if i % 4 != 3 else "",
            name_zh=f"实验室{i}", name_en=f"Lab {i}", city=district_rows[i % districts].city)
        for i in range(labs))
    return list(Lab.objects.filter(code__startswith=f"{prefix}L").order_by("code"))


def items(count: int, prefix: str) -> list[tuple[TestItem, Method]]:
    Standard.objects.bulk_create(Standard(code=f"{prefix}GB {i}", name_zh=f"标准{i}")
                                 for i in range(count))
    standards = {s.code: s for s in Standard.objects.filter(code__startswith=f"{prefix}GB ")}
    TestItem.objects.bulk_create(TestItem(code=f"{prefix}T{i:05d}", name_zh=f"项目{i}",
                                          name_en=f"Item {i}", unit="mg/kg") for i in range(count))
    Method.objects.bulk_create(
        Method(code=f"{prefix}M{i:05d}", standard=standards[f"{prefix}GB {i}"],
               technique="ICP-MS") for i in range(count))
    items = TestItem.objects.filter(code__startswith=f"{prefix}T").order_by("code")
    methods = Method.objects.filter(code__startswith=f"{prefix}M").order_by("code")
    return list(zip(items, methods, strict=True))


def _capabilities(labs: list[Lab], per_lab: int, catalog: list, rng: random.Random) -> int:
    rows = []
    for lab in labs:
        for item, method in rng.sample(catalog, min(per_lab, len(catalog))):
            rows.append(Capability(lab=lab, test_item=item, method=method,
                                   accredited=bool(lab.cnas_number) and rng.random() < 0.9,
                                   lod=0.001, loq=0.003, unit="mg/kg",
                                   price=Decimal(rng.choice([80, 120, 150, 260])),
                                   turnaround_days=rng.choice([3, 5, 7]),
                                   daily_capacity=rng.choice([20, 40, 60, 100])))
    Capability.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def capability_table(labs: list[Lab]) -> dict[int, list[tuple[int, int, int]]]:
    table: dict[int, list[tuple[int, int, int]]] = {}
    rows = Capability.objects.filter(lab__in=labs).values_list(
        "lab_id", "id", "test_item_id", "turnaround_days")
    for lab_id, capability_id, item_id, days in rows.iterator(chunk_size=BATCH):
        table.setdefault(lab_id, []).append((capability_id, item_id, days))
    return table


def _sample_tests(lab_id: int, capabilities: list, created, rng) -> list[Test]:
    open_sample = rng.random() < 0.15
    tests = []
    for capability_id, item_id, days in rng.sample(capabilities,
                                                   min(TESTS_PER_SAMPLE, len(capabilities))):
        status = rng.choice(TEST_STATUSES) if open_sample else "approved"
        done = created + timedelta(days=days + rng.gauss(0, 1.5)) if status == "approved" else None
        tests.append(Test(test_item_id=item_id, capability_id=capability_id, lab_id=lab_id,
                          status=status, created_at=created,
                          due_date=(created + timedelta(days=days)).date(), completed_at=done))
    return tests


def _history_chunk(start: int, count: int, context: dict, rng: random.Random) -> int:
    from portlab.testing.rollup import sample_progress

    now, labs, prefix = timezone.now(), context["labs"], context["prefix"]
    plan = []
    for number in range(start, start + count):
        lab = labs[rng.randrange(len(labs))]
        if lab.id in context["capabilities"]:
            created = now - timedelta(days=rng.uniform(0, 365))
            tests = _sample_tests(lab.id, context["capabilities"][lab.id], created, rng)
            plan.append((f"G{prefix}{number:09d}", lab, created, tests,
                         sample_progress([t.status for t in tests])))
    applications = Application.objects.bulk_create(
        Application(number=number, enterprise=rng.choice(context["enterprises"]), lab=lab,
                    goods_description="generated", hs_code="1006302000", purpose="import",
                    submitted_by=context["user"], submitted_at=created, status=status)
        for number, lab, created, _tests, status in plan)
    samples = Sample.objects.bulk_create(
        Sample(number=number, application=application, description="generated",
               barcode=number, received_at=created, status=status)
        for (number, _lab, created, _tests, status), application in zip(plan, applications,
                                                                         strict=True))
    tests = []
    for sample, (_number, _lab, _created, sample_tests, _status) in zip(samples, plan,
                                                                         strict=True):
        for test in sample_tests:
            test.sample_id = sample.id
        tests.extend(sample_tests)
    Test.objects.bulk_create(tests, batch_size=BATCH)
    return len(tests)


def generate_refusal(*, labs: object, capabilities: object, tests: object, prefix: object,
                     **_other: object) -> str:
    """Why these options cannot be generated, or "" (the command and the job say the same)."""
    for name, value, least in (("labs", labs, 1), ("capabilities", capabilities, 1),
                               ("tests", tests, 0)):
        if not isinstance(value, int) or value < least:
            return f"--{name} must be a whole number of at least {least}, got {value!r}"
    if District.objects.filter(code__startswith=str(prefix)).exists():
        return (f"A network with prefix {prefix!r} exists already; choose another --prefix.")
    return ""


def generate(*, labs: int, capabilities: int, tests: int, districts: int | None = None,
             seed: int = 1, prefix: str = "X", progress=None) -> GenerateSummary:
    """Create `labs` labs, `capabilities` capabilities per district and about `tests` tests."""
    rng = random.Random(seed)
    districts = districts or max(1, round(labs / 33))
    with transaction.atomic():
        lab_rows = network(labs, districts, prefix)
        per_lab = max(1, round(capabilities * districts / labs))
        catalog = items(max(per_lab * 2, 600), prefix)
        capability_count = _capabilities(lab_rows, per_lab, catalog, rng)
        enterprises = [Enterprise(credit_code=credit_code(rng), name_zh=f"企业{i}")
                       for i in range(200)]
        Enterprise.objects.bulk_create(enterprises, ignore_conflicts=True)
    user, _ = User.objects.get_or_create(username=f"generator-{prefix}",
                                         defaults={"password": make_password(None)})
    context = {"labs": lab_rows, "prefix": prefix, "user": user,
               "capabilities": capability_table(lab_rows),
               "enterprises": list(Enterprise.objects.all()[:200])}
    made, number, per_chunk = 0, 0, BATCH // TESTS_PER_SAMPLE * 4
    while made < tests:
        with transaction.atomic():
            made += _history_chunk(number, per_chunk, context, rng)
        number += per_chunk
        if progress:
            progress(made)
    return GenerateSummary(districts, labs, capability_count, number, number, made)
