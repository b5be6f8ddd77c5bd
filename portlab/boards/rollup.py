"""The quality board's roll-ups: turnaround per lab and local day, open work per lab and
status. Rebuilt in one transaction from testing.Test, so the board reads either the live tables
or a consistent roll-up of one moment, never a mix; the board says which and how old."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from portlab.boards.models import OpenWork, RollupState, TurnaroundDay
from portlab.testing.models import OPEN_TEST_STATUSES, Test

EVERY = dt.timedelta(minutes=10)
STALE_AFTER = dt.timedelta(hours=1)  # an older roll-up is not used: the board reads live
KEEP_DAYS = 40  # the board's window is 30 days
TURNAROUND_BINS = 15  # 0 … 14 days, then "15+"

TURNAROUND_SQL = {
    # Each test's local reception and approval days, and "on time": approved before the local
    # midnight that ends the due date. Native date arithmetic, no per-row Python function;
    # SQLite counts days as whole Julian day numbers (its date() text is slower), shifted by
    # the zone's offset.
    "sqlite": ("CAST(julianday(created_at) + %s AS INTEGER)",
               "CAST(julianday(completed_at) + %s AS INTEGER)",
               "julianday(completed_at) < julianday(due_date) + %s"),
    "postgresql": ("(created_at AT TIME ZONE %s)::date", "(completed_at AT TIME ZONE %s)::date",
                   "completed_at < ((due_date + 1)::timestamp AT TIME ZONE %s)"),
}
JULIAN_DAY_OF_ORDINAL_0 = 1721425  # Julian day number of 0001-01-01 is 1721426


def zone_parameters(vendor: str) -> tuple:
    """(local day shift, local midnight shift) for the SQL above."""
    zone = timezone.get_current_timezone()
    if vendor == "postgresql":
        return str(zone), str(zone)
    # SQLite stores UTC text: shift by today's UTC offset (a Julian day starts at noon).
    offset = (timezone.localtime().utcoffset() or dt.timedelta(0)) / dt.timedelta(days=1)
    return 0.5 + offset, 1 - offset


def as_date(value) -> dt.date:
    """SQLite gives a Julian day number, PostgreSQL a date."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromordinal(int(value) - JULIAN_DAY_OF_ORDINAL_0)


LOCAL_DAY_SQL = {
    "postgresql": "(completed_at AT TIME ZONE %s)::date",
    "sqlite": "date(completed_at, %s)",
}


def fresh_state(now: dt.datetime | None = None) -> RollupState | None:
    """The last rebuild, if recent enough for the board to read."""
    now = now or timezone.now()
    state = RollupState.objects.order_by("-refreshed_at").first()
    return state if state and now - state.refreshed_at <= STALE_AFTER else None


def _day_parameter(vendor: str) -> str:
    """How a stored UTC time becomes a local date: the zone, or SQLite's offset modifier."""
    zone = timezone.get_current_timezone()
    if vendor == "postgresql":
        return str(zone)
    offset = timezone.localtime().utcoffset() or dt.timedelta(0)
    return f"{offset.total_seconds():+.0f} seconds"


def _turnaround_rows(since: dt.date) -> None:
    """Per lab and local approval day: tests by calendar days from the local day of reception
    (the board turns those into working days), and how many were on time."""
    vendor = connection.vendor
    received_sql, approved_sql, on_time_sql = TURNAROUND_SQL[vendor]
    shift, midnight = zone_parameters(vendor)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    table = TurnaroundDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (lab_id, day, days, completed, on_time) "
            f"SELECT lab_id, {LOCAL_DAY_SQL[vendor]}, {approved_sql} - {received_sql} AS days, "
            f"COUNT(*), SUM(CASE WHEN {on_time_sql} THEN 1 ELSE 0 END) "
            f"FROM {Test._meta.db_table} WHERE completed_at >= %s GROUP BY 1, 2, 3",
            [_day_parameter(vendor), shift, shift, midnight,
             connection.ops.adapt_datetimefield_value(start)])


def _open_rows(today: dt.date) -> None:
    table = OpenWork._meta.db_table
    marks = ", ".join(["%s"] * len(OPEN_TEST_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (lab_id, status, open, overdue) "
            f"SELECT lab_id, status, COUNT(*), SUM(CASE WHEN due_date < %s THEN 1 ELSE 0 END) "
            f"FROM {Test._meta.db_table} WHERE status IN ({marks}) GROUP BY lab_id, status",
            [connection.ops.adapt_datefield_value(today), *OPEN_TEST_STATUSES])


@transaction.atomic
def board_rollup_refresh(now: dt.datetime | None = None) -> RollupState:
    """Rebuild both roll-ups as of now (the last KEEP_DAYS days of turnaround)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    TurnaroundDay.objects.all().delete()
    OpenWork.objects.all().delete()
    _turnaround_rows(today - dt.timedelta(days=KEEP_DAYS))
    _open_rows(today)
    RollupState.objects.all().delete()
    return RollupState.objects.create(refreshed_at=now, day=today)


def turnaround_rows(lab_ids: list[int], since: dt.date) -> tuple[list, list]:
    """As the live turnaround queries give them: (reception day, approval day, tests) and
    (lab, on time, tests)."""
    rows = TurnaroundDay.objects.filter(lab_id__in=lab_ids, day__gte=since).order_by()
    days = [(day - dt.timedelta(days=elapsed), day, count) for day, elapsed, count in
            rows.values_list("day", "days").annotate(n=Sum("completed"))]
    labs = list(rows.values_list("lab_id").annotate(on_time=Sum("on_time"),
                                                    n=Sum("completed")))
    return days, labs


def open_rows(lab_ids: list[int]) -> list[tuple[int, str, int, int]]:
    return list(OpenWork.objects.filter(lab_id__in=lab_ids)
                .values_list("lab_id", "status", "open", "overdue"))

