"""The national year's test history, made inside PostgreSQL: each sample (one per application)
has six tests at its lab, on six different capabilities of that lab, filed at a moment of the
past year. A test is approved once its time (the capability's turnaround, give or take 1.5
days; one in fifty stalls up to 60 days more) has passed; one still under way is pending,
assigned, resulted or reviewed by the share of its time spent. A sample's status is what
`sample_progress` gives for its tests, an application's that of its sample.

One statement per chunk of samples inserts the tests, then, from the statuses they got, the
samples, then the applications (data-modifying WITH queries): no row is read back."""

from collections.abc import Callable
from itertools import combinations_with_replacement

from portlab.demo.bulk_load import insert_sql
from portlab.demo.hashed import literal_array, pick, text_array
from portlab.demo.national_plan import TESTS_PER_SAMPLE, Plan
from portlab.intake.models import Application, Sample
from portlab.testing.models import Test
from portlab.testing.rollup import PROGRESS, sample_progress

# Salts (hashed.Draws): a sample's draws, then a test's.
LAB, FILED, FIRST_PLACE, STEP, ENTERPRISE = 10, 11, 12, 13, 14
NOISE, STALLS, STALL_DAYS = 20, 22, 23
YEAR = 365 * 86400
DAY = 86400
NOISE_DAYS, SHORTEST_DAYS, STALLED_SHARE, STALL_MAX_DAYS = 1.5, 0.25, 0.02, 60
# A test's status by its index; one not yet approved is at the stage of the share of its time
# spent (below 0.25 pending, then assigned, resulted, reviewed).
STATUSES = [Test.Status.PENDING, Test.Status.ASSIGNED, Test.Status.RESULTED,
            Test.Status.REVIEWED, Test.Status.APPROVED]
APPROVED, STAGES = 4, "ARRAY[0.25, 0.5, 0.8]::float8[]"


def progress_lookup() -> list[int]:
    """sample_progress for every mix of six statuses, as an index into PROGRESS, at the key
    sum(7 ** status index) of the mix (zero elsewhere)."""
    lookup = [0] * (TESTS_PER_SAMPLE * 7 ** (len(STATUSES) - 1) + 1)
    for mix in combinations_with_replacement(range(len(STATUSES)), TESTS_PER_SAMPLE):
        status = sample_progress([STATUSES[index] for index in mix])
        lookup[sum(7 ** index for index in mix)] = PROGRESS.index(status)
    return lookup


def sample_draws(plan: Plan, number: str) -> dict[str, str]:
    """A sample's lab (index into the plan's labs) and filing moment (epoch seconds)."""
    now = plan.now.timestamp()
    return {"lab": plan.draws.below(number, LAB, len(plan.lab_ids)),
            "filed": f"({now} - {plan.draws.uniform(number, FILED)} * {YEAR})"}


def _test_rows(plan: Plan) -> str:
    """FROM clause of the tests of samples %s to %s (numbers from 0)."""
    draws, per_lab, now = plan.draws, plan.per_lab, plan.now.timestamp()
    sample, test = sample_draws(plan, "n"), f"(n * {TESTS_PER_SAMPLE} + k)"
    step_most = (per_lab - 1) // (TESTS_PER_SAMPLE - 1)  # six places apart in the lab's list
    stall = (f"CASE WHEN {draws.uniform(test, STALLS)} < {STALLED_SHARE} "
             f"THEN {draws.uniform(test, STALL_DAYS)} * {STALL_MAX_DAYS} ELSE 0 END")
    return (
        f"FROM generate_series(%s::bigint, %s::bigint) AS n "
        f"CROSS JOIN LATERAL (SELECT {sample['lab']} AS lab, {sample['filed']} AS filed, "
        f"{draws.below('n', FIRST_PLACE, per_lab)} AS first_place, "
        f"1 + {draws.below('n', STEP, step_most)} AS step) AS s "
        f"CROSS JOIN generate_series(0, {TESTS_PER_SAMPLE - 1}) AS k "
        f"CROSS JOIN LATERAL (SELECT mod(s.first_place + k * s.step, {per_lab}) AS place) AS p "
        f"CROSS JOIN LATERAL (SELECT {plan.capability('s.lab', 'p.place')} AS c) AS c "
        f"CROSS JOIN LATERAL (SELECT {plan.turnaround('c.c')} AS days) AS d "
        f"CROSS JOIN LATERAL (SELECT {DAY} * (greatest({SHORTEST_DAYS}, d.days + {NOISE_DAYS} "
        f"* {draws.gauss(test, NOISE)}) + {stall}) AS span) AS t "
        f"CROSS JOIN LATERAL (SELECT CASE WHEN s.filed + t.span <= {now} THEN {APPROVED} "
        f"ELSE width_bucket(({now} - s.filed) / t.span, {STAGES}) END AS stage) AS st")


def chunk_sql(plan: Plan, *, first_sample: int, first_application: int, user: int,
              enterprises: list[int], prefix: str) -> tuple[str, Callable[[int, int], list]]:
    """The statement making samples `first` to `last` (numbers from 0) with their tests and
    applications, and the function giving its parameters for (first, last)."""
    statuses = text_array(STATUSES)
    tests, test_defaults = insert_sql(Test, {
        "sample_id": f"{first_sample} + n",
        "test_item_id": pick(literal_array(plan.item_ids), plan.item_index("s.lab", "p.place")),
        "capability_id": f"{plan.first_capability} + c.c",
        "lab_id": pick(plan.labs(), "s.lab"),
        "status": pick(statuses, "st.stage"),
        "due_date": f"(to_timestamp(s.filed + d.days * {DAY}) AT TIME ZONE 'UTC')::date",
        "created_at": "to_timestamp(s.filed)",
        "completed_at": f"CASE WHEN st.stage = {APPROVED} THEN to_timestamp(s.filed + t.span) END",
    })
    weight = " ".join(f"WHEN '{status}' THEN {7 ** index}"
                      for index, status in enumerate(STATUSES))
    sample = sample_draws(plan, "g.n")
    samples, sample_defaults = insert_sql(Sample, {
        "id": "g.sample_id", "number": "x.number", "application_id": f"{first_application} + g.n",
        "description": "'generated'", "barcode": "x.number",
        "received_at": f"to_timestamp({sample['filed']})",
        "status": pick(text_array(list(PROGRESS)),
                       pick(literal_array(progress_lookup(), "int"), "g.mix")),
    })
    enterprise = plan.draws.below("a.n", ENTERPRISE, len(enterprises))
    applications, application_defaults = insert_sql(Application, {
        "id": "a.application_id", "number": "a.number",
        "enterprise_id": pick(literal_array(enterprises), enterprise),
        "lab_id": pick(plan.labs(), sample_draws(plan, "a.n")["lab"]),
        "goods_description": "'generated'", "hs_code": "'1006302000'", "purpose": "'import'",
        "submitted_by_id": str(int(user)), "submitted_at": "a.received_at", "status": "a.status",
        "query_code": "left(md5(gen_random_uuid()::text), 16)",  # a secret: not from the seed
    })
    sql = (f"WITH tests AS ({tests} {_test_rows(plan)} RETURNING sample_id, status), "
           f"samples AS ({samples} FROM (SELECT sample_id, sample_id - {first_sample} AS n, "
           f"SUM(CASE status {weight} END) AS mix FROM tests GROUP BY sample_id) AS g "
           f"CROSS JOIN LATERAL (SELECT 'N' || %s || lpad(g.n::text, 9, '0') AS number) AS x "
           f"RETURNING id - {first_sample} AS n, application_id, number, received_at, status) "
           f"{applications} FROM samples AS a")
    after = [*sample_defaults, prefix, *application_defaults]
    return sql, lambda first, last: [*test_defaults, first, last, *after]
