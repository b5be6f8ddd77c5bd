"""The telemetry history's storage: daily partitions on PostgreSQL (made ahead, dropped after
the retention) and the hourly roll-up. On SQLite the samples are one plain table: making
partitions does nothing there and retention deletes rows instead of dropping a partition.

Partitions are named `<table>_pYYYYMMDD` and hold one UTC day. A default partition catches a
sample whose day has no partition yet (the job was not run); making that day's partition moves
such rows into it first, so no heartbeat is ever refused for want of a partition.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portlab.instruments.models import AgentState, TelemetryHour, TelemetrySample

SLOT = dt.timedelta(minutes=5)
AHEAD_DAYS = 7
TABLE = TelemetrySample._meta.db_table
HOURS = TelemetryHour._meta.db_table
DEFAULT = f"{TABLE}_default"


def retention_days() -> int:
    return int(getattr(settings, "PORTLAB_TELEMETRY_DAYS", 7))


def slot_of(moment: dt.datetime) -> dt.datetime:
    """The start of the 5-minute slot holding `moment`, in UTC."""
    moment = moment.astimezone(dt.UTC)
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


def samples_keep(rows: list[tuple[int, dt.datetime | None, str, dict]],
                 now: dt.datetime) -> int:
    """A history sample for each accepted heartbeat (instrument id, its previous last seen,
    state, counters) that opens a new 5-minute slot. Returns the number kept."""
    slot = slot_of(now)
    fresh = [TelemetrySample(instrument_id=instrument_id, at=slot, state=state,
                             counters=counters or {})
             for instrument_id, last_seen, state, counters in rows
             if last_seen is None or last_seen < slot]
    TelemetrySample.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def create_partitioned_table(schema_editor, model) -> None:
    """The migration's table (`model` is its historical model): partitioned by day on
    PostgreSQL, a plain one elsewhere."""
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.create_model(model)
        return
    schema_editor.execute(
        f"CREATE TABLE {TABLE} (instrument_id bigint NOT NULL, at timestamptz NOT NULL, "
        f"state varchar(10) NOT NULL, counters jsonb NOT NULL, "
        f"PRIMARY KEY (instrument_id, at)) PARTITION BY RANGE (at)")
    schema_editor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT")


def partition_name(day: dt.date) -> str:
    return f"{TABLE}_p{day:%Y%m%d}"


def partition_days() -> list[dt.date]:
    """The days that have their own partition, oldest first (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s", [TABLE])
        names = [row[0] for row in cursor.fetchall()]
    prefix = f"{TABLE}_p"
    return sorted(dt.datetime.strptime(name[len(prefix):], "%Y%m%d").date()
                  for name in names if name.startswith(prefix))


@transaction.atomic
def partition_create(day: dt.date, fill: Callable[[str], None] | None = None) -> bool:
    """Make the partition of one UTC day, moving in the rows the default partition caught;
    `fill(name)` may load rows into it before its key is built (a bulk load)."""
    if day in partition_days():
        return False
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    bounds = [start, start + dt.timedelta(days=1)]
    name = partition_name(day)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
        cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s "
                       f"RETURNING *) INSERT INTO {name} SELECT * FROM moved", bounds)
        if fill:
            fill(name)
        cursor.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (instrument_id, at)")
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} "
                       f"FOR VALUES FROM (%s) TO (%s)", bounds)
    return True


def partitions_maintain(today: dt.date | None = None) -> dict[str, list[str]]:
    """Partitions for today and the next 7 days; those older than the retention dropped (on
    SQLite their rows deleted). Returns what was made and dropped."""
    today = today or timezone.now().astimezone(dt.UTC).date()
    oldest = today - dt.timedelta(days=retention_days())
    if not partitioned():
        cut = dt.datetime.combine(oldest, dt.time.min, tzinfo=dt.UTC)
        deleted, _rows = TelemetrySample.objects.filter(at__lt=cut).delete()
        return {"created": [], "dropped": [f"{deleted} samples before {oldest}"] if deleted else []}
    made = [partition_name(today + dt.timedelta(days=n)) for n in range(AHEAD_DAYS + 1)
            if partition_create(today + dt.timedelta(days=n))]
    dropped = []
    for day in partition_days():
        if day < oldest:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {partition_name(day)}")
            dropped.append(partition_name(day))
    if dropped:  # rows of those days the default partition caught go as well
        cut = dt.datetime.combine(oldest, dt.time.min, tzinfo=dt.UTC)
        TelemetrySample.objects.filter(at__lt=cut).delete()
    return {"created": made, "dropped": dropped}


HOUR_SQL = {
    "postgresql": "date_trunc('hour', at)",
    # Django keeps SQLite datetimes as UTC text "YYYY-MM-DD HH:MM:SS"
    "sqlite": "substr(at, 1, 13) || ':00:00'",
}


def hours_rollup(since: dt.datetime, until: dt.datetime) -> int:
    """Roll up the samples of whole hours from `since` to `until` into TelemetryHour (an hour
    rolled up again is replaced, so a late run or a rerun gives the same rows). Returns the
    number of (instrument, hour) rows written."""
    since = since.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    until = until.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    hour = HOUR_SQL[connection.vendor]
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {HOURS} WHERE hour >= %s AND hour < %s",
                       [adapt(since), adapt(until)])
        cursor.execute(
            f"INSERT INTO {HOURS} (instrument_id, hour, samples, running, error) "
            f"SELECT instrument_id, {hour}, COUNT(*), "
            f"SUM(CASE WHEN state = %s THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN state = %s THEN 1 ELSE 0 END) FROM {TABLE} "
            f"WHERE at >= %s AND at < %s GROUP BY instrument_id, {hour}",
            [AgentState.RUNNING, AgentState.ERROR, adapt(since), adapt(until)])
        return cursor.rowcount


def rollup_due(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The hours the scheduled roll-up covers: from the last hour rolled up (at most a day
    back) to the start of the current hour."""
    now = (now or timezone.now()).astimezone(dt.UTC)
    until = now.replace(minute=0, second=0, microsecond=0)
    last = TelemetryHour.objects.order_by("-hour").values_list("hour", flat=True).first()
    since = max(last, until - dt.timedelta(days=1)) if last else until - dt.timedelta(days=1)
    return since, until
