"""The national instruments, made inside PostgreSQL: instruments spread over the labs,
yesterday's (UTC) telemetry at 5-minute resolution in that day's partition (loaded before the
partition's key is built), and each instrument's current row as its last sample left it (so
the sweep finds them silent since yesterday, as an agent that stopped would be)."""

import datetime as dt
from collections.abc import Callable

from django.db import connection

from portlab.demo.bulk_load import ids_reserve, insert_generated, insert_sql
from portlab.demo.hashed import pick, text_array
from portlab.demo.national_plan import Plan
from portlab.instruments import telemetry_store
from portlab.instruments.models import AgentState, Instrument, Telemetry

SLOTS = 288  # a day at 5-minute resolution
STATE = 30  # salt (hashed.Draws)
INSTRUMENT_STATES = [AgentState.RUNNING] * 6 + [AgentState.IDLE] * 3 + [AgentState.ERROR]
PER_CHUNK = 2_000


def instruments_make(plan: Plan, count: int, prefix: str) -> int:
    """`count` instruments, lab after lab; returns the first id."""
    first = ids_reserve(Instrument, count)
    insert_generated(Instrument, {
        "id": f"{first} + i", "asset_number": "a.asset", "name": "'ICP-MS'",
        "instrument_type": "'ICP-MS'", "lab_id": pick(plan.labs(), f"mod(i, {len(plan.lab_ids)})"),
    }, "FROM generate_series(0, %s) AS i CROSS JOIN LATERAL "
       "(SELECT 'N' || %s || '-' || lpad(i::text, 7, '0') AS asset) AS a", [count - 1, prefix])
    return first


def _history_sql(plan: Plan, table: str, first: int,
                 day: dt.date) -> tuple[str, Callable[[int, int], list]]:
    """Samples of instruments `low` to `high` (numbers from 0) into `table` and their current
    rows from the last; the function gives the parameters for (low, high)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    last = start + telemetry_store.SLOT * (SLOTS - 1)
    state = pick(text_array(INSTRUMENT_STATES),
                 plan.draws.below(f"i * {SLOTS} + s", STATE, len(INSTRUMENT_STATES)))
    current, defaults = insert_sql(Telemetry, {
        "instrument_id": "instrument_id", "state": "state", "counters": "counters",
        "last_seen": "at"})
    sql = (f"WITH history AS (INSERT INTO {connection.ops.quote_name(table)} "
           f"(instrument_id, at, state, counters) "
           f"SELECT {first} + i, %s::timestamptz + s * interval '5 minutes', h.state, "
           f"jsonb_build_object('injections', h.injections) "
           f"FROM generate_series(%s::bigint, %s::bigint) AS i CROSS JOIN LATERAL ("
           f"SELECT s, x.state, SUM((x.state = '{AgentState.RUNNING}')::int) OVER (ORDER BY s) "
           f"AS injections FROM generate_series(0, {SLOTS - 1}) AS s "
           f"CROSS JOIN LATERAL (SELECT {state} AS state) AS x) AS h "
           f"RETURNING instrument_id, at, state, counters) "
           f"{current} FROM history WHERE at = %s")
    return sql, lambda low, high: [start, low, high, *defaults, last]


def telemetry_make(plan: Plan, first: int, count: int, day: dt.date) -> int:
    """A day of telemetry for instruments `first`.. `first + count - 1`. Returns the samples."""
    made = 0

    def fill(table: str) -> None:
        nonlocal made
        sql, params = _history_sql(plan, table, first, day)
        with connection.cursor() as cursor:
            for low in range(0, count, PER_CHUNK):
                high = min(count, low + PER_CHUNK) - 1
                cursor.execute(sql, params(low, high))
                made += (high - low + 1) * SLOTS

    if not telemetry_store.partition_create(day, fill=fill):
        fill(telemetry_store.TABLE)  # the day has its partition already
    return made
