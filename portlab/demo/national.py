"""A national year on PostgreSQL (`portlab generate --national [--scale F]`): 1,370 labs in 42
districts, 8,427 capabilities per district, 50,000,000 test items on about 8,300,000 samples
(one application each), and 160,000 instruments with yesterday's telemetry at 5-minute
resolution (288 samples each, in that day's partition). `--scale` shrinks the tests and the
instruments (not the network: the labs, districts and catalog stay national), so a fraction
can be built and timed on a small machine.

The big tables are made inside PostgreSQL by set-based statements over `generate_series` with
hashed draws (national_history, national_instruments), not through the services or the ORM,
and are not audited: they stand for work already done (no audit events, state intervals,
results or reports are made for them). The history's tables are loaded with their keys,
indexes and foreign keys dropped, then built again and checked, all in one transaction: a
failure leaves nothing half-written. The tables stay logged (crash safe); only this session's
commits skip waiting for the disk (`synchronous_commit = off`, which risks no corruption).
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from portlab.accounts.models import Enterprise, User
from portlab.demo import generate as small
from portlab.demo.bulk_load import ids_reserve, insert_generated, keys_build, keys_drop
from portlab.demo.hashed import Draws, literal_array, pick
from portlab.demo.national_history import chunk_sql
from portlab.demo.national_instruments import instruments_make, telemetry_make
from portlab.demo.national_plan import ACCREDITED, CAPACITY, NATIONAL, PRICE, TESTS_PER_SAMPLE, Plan
from portlab.intake.models import Application, Sample
from portlab.network.models import Capability
from portlab.testing.models import Test

SAMPLES_PER_CHUNK = 100_000


@dataclass
class NationalSummary:
    labs: int
    capabilities: int
    samples: int
    tests: int
    instruments: int
    telemetry_samples: int
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, in order


def national_refusal(scale: float) -> str:
    if connection.vendor != "postgresql":
        return ("--national builds its rows inside PostgreSQL: set DATABASE_URL to a "
                "PostgreSQL database")
    if not 0 < scale <= 1:
        return f"--scale must be above 0 and at most 1, got {scale}"
    return ""


def _capabilities(plan: Plan) -> int:
    """Each lab's `per_lab` capabilities, on catalog entries it takes without repeats."""
    draws, item = plan.draws, plan.item_index("l", "j")
    return insert_generated(Capability, {
        "id": f"{plan.first_capability} + c.c", "lab_id": pick(plan.labs(), "l"),
        "test_item_id": pick(literal_array(plan.item_ids), item),
        "method_id": pick(literal_array(plan.method_ids), item),
        "accredited": f"{pick(literal_array(plan.accredited_labs, 'boolean'), 'l')} "
                      f"AND {draws.uniform('c.c', ACCREDITED)} < 0.9",
        "lod": "0.001", "loq": "0.003", "unit": "'mg/kg'",
        "price": pick("ARRAY[80, 120, 150, 260]::numeric[]", draws.below("c.c", PRICE, 4)),
        "turnaround_days": plan.turnaround("c.c"),
        "daily_capacity": pick("ARRAY[20, 40, 60, 100]", draws.below("c.c", CAPACITY, 4)),
    }, f"FROM generate_series(0, {len(plan.lab_ids) - 1}) AS l "
       f"CROSS JOIN generate_series(0, {plan.per_lab - 1}) AS j "
       f"CROSS JOIN LATERAL (SELECT {plan.capability('l', 'j')} AS c) AS c")


def _network(seed: int, prefix: str) -> Plan:
    labs, districts = NATIONAL["labs"], NATIONAL["districts"]
    lab_rows = small.network(labs, districts, prefix)
    per_lab = max(TESTS_PER_SAMPLE, round(NATIONAL["capabilities"] * districts / labs))
    catalog = small.items(per_lab * 2, prefix)
    plan = Plan(Draws(seed), [lab.pk for lab in lab_rows],
                [bool(lab.cnas_number) for lab in lab_rows], [i.pk for i, _m in catalog],
                [m.pk for _i, m in catalog], per_lab,
                ids_reserve(Capability, labs * per_lab), timezone.now())
    _capabilities(plan)
    return plan


def _history(plan: Plan, samples: int, prefix: str, progress: Callable[[int], None],
             phase: Callable[[str], AbstractContextManager[None]]) -> None:
    """`samples` samples with their tests and applications, keys dropped for the load."""
    user, _ = User.objects.get_or_create(username=f"generator-{prefix}",
                                         defaults={"password": make_password(None)})
    with phase("history: keys dropped"):
        dropped = keys_drop(Test, Sample, Application)
    sql, params = chunk_sql(plan, first_sample=ids_reserve(Sample, samples),
                            first_application=ids_reserve(Application, samples), user=user.pk,
                            enterprises=list(Enterprise.objects.values_list("pk", flat=True)[:200]),
                            prefix=prefix)
    with phase("history: rows"), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', '256MB', true)")
        for first in range(0, samples, SAMPLES_PER_CHUNK):
            last = min(samples, first + SAMPLES_PER_CHUNK) - 1
            cursor.execute(sql, params(first, last))
            progress((last + 1) * TESTS_PER_SAMPLE)
    with phase("history: keys, indexes, foreign keys built"):
        keys_build(dropped)


def generate_national(*, scale: float = 1.0, seed: int = 1, prefix: str = "N",
                      progress: Callable[[int], None] | None = None) -> NationalSummary:
    """The national data set, or `scale` of its tests and instruments (see the module)."""
    phases: dict[str, float] = {}

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        phases[name] = time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    with phase("network and catalog"), transaction.atomic():
        plan = _network(seed, prefix)
        rng = random.Random(seed)
        Enterprise.objects.bulk_create([Enterprise(credit_code=small.credit_code(rng),
                                                   name_zh=f"企业{i}") for i in range(200)],
                                       ignore_conflicts=True)
    samples = -(-round(NATIONAL["tests"] * scale) // TESTS_PER_SAMPLE)
    with transaction.atomic():
        _history(plan, samples, prefix, progress or (lambda done: None), phase)
    instruments = round(NATIONAL["instruments"] * scale)
    day = plan.now.astimezone(dt.UTC).date() - dt.timedelta(days=1)
    with phase("instruments and telemetry"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('maintenance_work_mem', '1GB', true)")
        telemetry = telemetry_make(plan, instruments_make(plan, instruments, prefix),
                                   instruments, day) if instruments else 0
    with phase("analyze"), connection.cursor() as cursor:  # what autovacuum would do later
        cursor.execute("ANALYZE")
    return NationalSummary(len(plan.lab_ids), len(plan.lab_ids) * plan.per_lab, samples,
                           samples * TESTS_PER_SAMPLE, instruments, telemetry, phases)
