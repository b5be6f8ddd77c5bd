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
    # Whole days elapsed from reception to approval, and "on time": approved before the local
    # midnight that ends the due date. Native date arithmetic: no per-row Python function.
    "sqlite": ("CAST(julianday(completed_at) - julianday(created_at) AS INTEGER)",
               "completed_at < datetime(due_date, '+1 day', %s)"),
    "postgresql": ("FLOOR(EXTRACT(EPOCH FROM completed_at - created_at) / 86400)::int",
                   "completed_at < ((due_date + 1)::timestamp AT TIME ZONE %s)"),
}


def midnight_parameter(vendor: str) -> str:
    zone = timezone.get_current_timezone()
    if vendor == "postgresql":
        return str(zone)
    # SQLite stores UTC text: shift local midnight by today's UTC offset.
    offset = timezone.localtime().utcoffset() or dt.timedelta(0)
    return f"{-offset.total_seconds():+.0f} seconds"

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
    vendor = connection.vendor
    days_sql, on_time_sql = TURNAROUND_SQL[vendor]
    midnight = midnight_parameter(vendor)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    day_sql = LOCAL_DAY_SQL[vendor]
    table = TurnaroundDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (lab_id, day, days, completed, on_time) "
            f"SELECT lab_id, day, CASE WHEN days < 0 THEN 0 WHEN days > {TURNAROUND_BINS} "
            f"THEN {TURNAROUND_BINS} ELSE days END AS bin, COUNT(*), SUM(on_time) FROM ("
            f"SELECT lab_id, {day_sql} AS day, {days_sql} AS days, "
            f"CASE WHEN {on_time_sql} THEN 1 ELSE 0 END AS on_time FROM {Test._meta.db_table} "
            f"WHERE completed_at >= %s) t GROUP BY lab_id, day, bin",
            [_day_parameter(vendor), midnight, connection.ops.adapt_datetimefield_value(start)])


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


def turnaround_rows(lab_ids: list[int], since: dt.date) -> list[tuple]:
    """(lab, days, on time, completed) as the live turnaround query gives them."""
    rows = (TurnaroundDay.objects.filter(lab_id__in=lab_ids, day__gte=since)
            .values_list("lab_id", "days").order_by()
            .annotate(on_time=Sum("on_time"), completed=Sum("completed")))
    return list(rows)


def open_rows(lab_ids: list[int]) -> list[tuple[int, str, int, int]]:
    return list(OpenWork.objects.filter(lab_id__in=lab_ids)
                .values_list("lab_id", "status", "open", "overdue"))

