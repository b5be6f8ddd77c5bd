"""A national year on PostgreSQL with COPY (`portlab generate --national [--scale F]`):
1,370 labs in 42 districts, 8,427 capabilities per district, 50,000,000 test items on about
8,300,000 samples (one application each), and 160,000 instruments with yesterday's telemetry at
5-minute resolution (288 samples each, in that day's partition). `--scale` shrinks the tests
and the instruments (not the network: the labs, districts and catalog stay national), so a
fraction can be built and timed on a small machine.

Rows are streamed with COPY (portlab.demo.copy_rows), not through the services or the ORM, and
are not audited: they stand for work already done.
"""

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from portlab.accounts.models import Enterprise, User
from portlab.demo import generate as small
from portlab.demo.copy_rows import copy_rows, ids_reserve
from portlab.instruments import telemetry_store
from portlab.instruments.models import Instrument, Telemetry, TelemetrySample
from portlab.intake.models import Application, Sample
from portlab.network.models import Capability, Lab
from portlab.testing.rollup import sample_progress

NATIONAL = {"labs": 1370, "districts": 42, "capabilities": 8427, "tests": 50_000_000,
            "instruments": 160_000}
TESTS_PER_SAMPLE = 6
SAMPLES_PER_CHUNK = 50_000
SLOTS = 288  # a day at 5-minute resolution
INSTRUMENT_STATES = ["running"] * 6 + ["idle"] * 3 + ["error"]


@dataclass
class NationalSummary:
    labs: int
    capabilities: int
    samples: int
    tests: int
    instruments: int
    telemetry_samples: int


def national_refusal(scale: float) -> str:
    if connection.vendor != "postgresql":
        return "--national loads with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database"
    if not 0 < scale <= 1:
        return f"--scale must be above 0 and at most 1, got {scale}"
    return ""


def _capabilities(labs: list[Lab], per_lab: int, catalog: list, rng: random.Random) -> int:
    def rows() -> Iterator[tuple]:
        for lab in labs:
            for item, method in rng.sample(catalog, min(per_lab, len(catalog))):
                yield (lab.pk, item.pk, method.pk, bool(lab.cnas_number) and rng.random() < 0.9,
                       0.001, 0.003, "mg/kg", Decimal(rng.choice([80, 120, 150, 260])),
                       rng.choice([3, 5, 7]), rng.choice([20, 40, 60, 100]))

    return copy_rows(Capability, ["lab_id", "test_item_id", "method_id", "accredited", "lod",
                                  "loq", "unit", "price", "turnaround_days", "daily_capacity"],
                     rows())


def _history_chunk(first_number: int, count: int, context: dict, rng: random.Random) -> int:
    """`count` samples (an application each) and their tests, in three COPY streams."""
    now, labs, table = timezone.now(), context["labs"], context["capabilities"]
    application_id = ids_reserve(Application, count)
    sample_id = ids_reserve(Sample, count)
    applications, samples, tests = [], [], []
    for n in range(count):
        lab = labs[rng.randrange(len(labs))]
        created = now - dt.timedelta(days=rng.uniform(0, 365))
        open_sample = rng.random() < 0.15
        statuses = []
        for capability_id, item_id, days in rng.sample(table[lab.pk], TESTS_PER_SAMPLE):
            status = rng.choice(small.TEST_STATUSES) if open_sample else "approved"
            done = (created + dt.timedelta(days=days + rng.gauss(0, 1.5))
                    if status == "approved" else None)
            tests.append((sample_id + n, item_id, capability_id, lab.pk, status,
                          (created + dt.timedelta(days=days)).date(), created, done))
            statuses.append(status)
        number = f"N{context['prefix']}{first_number + n:09d}"
        progress = sample_progress(statuses)
        applications.append((application_id + n, number, rng.choice(context["enterprises"]),
                             lab.pk, "generated", "1006302000", "import", context["user"],
                             created, progress))
        samples.append((sample_id + n, number, application_id + n, "generated", number,
                        created, progress))
    copy_rows(Application, ["id", "number", "enterprise_id", "lab_id", "goods_description",
                            "hs_code", "purpose", "submitted_by_id", "submitted_at", "status"],
              applications)
    copy_rows(Sample, ["id", "number", "application_id", "description", "barcode",
                       "received_at", "status"], samples)
    from portlab.testing.models import Test

    return copy_rows(Test, ["sample_id", "test_item_id", "capability_id", "lab_id", "status",
                            "due_date", "created_at", "completed_at"], tests)


def _instruments(count: int, labs: list[Lab], prefix: str, rng: random.Random) -> tuple[int, int]:
    """`count` instruments spread over the labs, their current telemetry row, and yesterday's
    (UTC) telemetry at 5-minute resolution in that day's partition."""
    first = ids_reserve(Instrument, count)
    copy_rows(Instrument, ["id", "asset_number", "name", "instrument_type", "lab_id"],
              ((first + n, f"N{prefix}-{n:07d}", "ICP-MS", "ICP-MS", labs[n % len(labs)].pk)
               for n in range(count)))
    copy_rows(Telemetry, ["instrument_id"], ((first + n,) for n in range(count)))
    day = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1)
    telemetry_store.partition_create(day)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    slots = [start + telemetry_store.SLOT * n for n in range(SLOTS)]
    states = INSTRUMENT_STATES

    def rows() -> Iterator[tuple]:
        for n in range(count):
            injections = 0
            for at in slots:
                state = states[rng.randrange(len(states))]
                injections += state == "running"
                yield (first + n, at, state, f'{{"injections": {injections}}}')

    return count, copy_rows(TelemetrySample, ["instrument_id", "at", "state", "counters"],
                            rows())


def generate_national(*, scale: float = 1.0, seed: int = 1, prefix: str = "N",
                      progress: Callable[[int], None] | None = None) -> NationalSummary:
    """The national data set, or `scale` of its tests and instruments (see the module)."""
    rng = random.Random(seed)
    labs, districts = NATIONAL["labs"], NATIONAL["districts"]
    with transaction.atomic():
        lab_rows = small.network(labs, districts, prefix)
        per_lab = max(TESTS_PER_SAMPLE, round(NATIONAL["capabilities"] * districts / labs))
        catalog = small.items(per_lab * 2, prefix)
        capabilities = _capabilities(lab_rows, per_lab, catalog, rng)
        Enterprise.objects.bulk_create([Enterprise(credit_code=small.credit_code(rng),
                                                   name_zh=f"企业{i}") for i in range(200)],
                                       ignore_conflicts=True)
    user, _ = User.objects.get_or_create(username=f"generator-{prefix}",
                                         defaults={"password": make_password(None)})
    context = {"labs": lab_rows, "prefix": prefix, "user": user.pk,
               "capabilities": small.capability_table(lab_rows),
               "enterprises": list(Enterprise.objects.values_list("pk", flat=True)[:200])}
    wanted = round(NATIONAL["tests"] * scale)
    made = number = 0
    while made < wanted:
        count = min(SAMPLES_PER_CHUNK, -(-(wanted - made) // TESTS_PER_SAMPLE))
        with transaction.atomic():
            made += _history_chunk(number, count, context, rng)
        number += count
        if progress:
            progress(made)
    with transaction.atomic():
        instruments, samples = _instruments(round(NATIONAL["instruments"] * scale), lab_rows,
                                            prefix, rng)
    with connection.cursor() as cursor:  # what autovacuum would do after the load
        cursor.execute("ANALYZE")
    return NationalSummary(labs, capabilities, number, made, instruments, samples)
