"""The quality board's roll-ups: approvals per local day for each lab, each district and the
whole network (one row each, the day-counts in an array), and open work per lab and status.

A refresh recounts only today's approvals; the first refresh of a local day recounts the last
KEEP_DAYS days, which also catches changes to earlier days (a reopened test). Each refresh is one
transaction, so the board reads a consistent roll-up of one moment, never a mix; the board says
which moment, or that it reads the live tables."""

import datetime as dt
from collections import Counter

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from portlab.boards.models import BoardDay, OpenWork, RollupState
from portlab.network.models import Lab
from portlab.testing.models import OPEN_TEST_STATUSES, Test

EVERY = dt.timedelta(minutes=10)
STALE_AFTER = dt.timedelta(hours=1)  # an older roll-up is not used: the board reads live
KEEP_DAYS = 40  # the board's window is 30 days
TURNAROUND_BINS = 15  # 0 … 14 working days, then "15+"
# Any 60 calendar days hold at least 8 weeks of weekdays less the longest holidays (~13 days),
# far more than 15 working days: counting them together keeps the "15+" bin exact.
DAYS_CAP = 60

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


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def fresh_state(now: dt.datetime | None = None) -> RollupState | None:
    """The last refresh, if recent enough for the board to read."""
    now = now or timezone.now()
    state = RollupState.objects.order_by("-refreshed_at").first()
    return state if state and now - state.refreshed_at <= STALE_AFTER else None


def _every_lab() -> tuple[str, list[int]]:
    """An IN list of every lab: with it PostgreSQL reads each lab's range of the (lab, ...)
    indexes (today's approvals, the open tests) instead of every test of the table."""
    ids = list(Lab.objects.values_list("id", flat=True))
    return ", ".join(["%s"] * len(ids)) or "NULL", ids


def _approvals(since: dt.date) -> list[tuple]:
    """(lab, local approval day, calendar days from the local day of reception, tests, on
    time) of the tests approved since the start of `since`."""
    vendor = connection.vendor
    received_sql, approved_sql, on_time_sql = TURNAROUND_SQL[vendor]
    shift, midnight = zone_parameters(vendor)
    start = connection.ops.adapt_datetimefield_value(day_start(since))
    marks, labs = _every_lab()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lab_id, {approved_sql}, {approved_sql} - {received_sql}, COUNT(*), "
            f"SUM(CASE WHEN {on_time_sql} THEN 1 ELSE 0 END) FROM {Test._meta.db_table} "
            f"WHERE lab_id IN ({marks}) AND completed_at >= %s GROUP BY 1, 2, 3",
            [shift, shift, shift, midnight, *labs, start])
        return cursor.fetchall()


def _day_rows(since: dt.date) -> list[BoardDay]:
    """BoardDay rows for each lab, district and the network, from `since` on."""
    district_of = dict(Lab.objects.values_list("id", "district_id"))
    totals: dict[tuple, list] = {}
    for lab_id, approved, days, count, on_time in _approvals(since):
        day, days = as_date(approved), min(max(int(days), 0), DAYS_CAP)
        for key in ((lab_id, None, day), (None, district_of[lab_id], day), (None, None, day)):
            total = totals.get(key) or totals.setdefault(key, [0, 0, [0] * (DAYS_CAP + 1)])
            total[0] += count
            total[1] += on_time
            total[2][days] += count
    rows = []
    for (lab_id, district_id, day), (completed, on_time, by_days) in totals.items():
        while not by_days[-1]:
            by_days.pop()
        rows.append(BoardDay(lab_id=lab_id, district_id=district_id, day=day,
                             completed=completed, on_time=on_time, by_days=by_days))
    return rows


def _open_rows(today: dt.date) -> None:
    table = OpenWork._meta.db_table
    statuses = ", ".join(["%s"] * len(OPEN_TEST_STATUSES))
    marks, labs = _every_lab()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (lab_id, status, open, overdue) "
            f"SELECT lab_id, status, COUNT(*), SUM(CASE WHEN due_date < %s THEN 1 ELSE 0 END) "
            f"FROM {Test._meta.db_table} WHERE lab_id IN ({marks}) AND status IN ({statuses}) "
            f"GROUP BY lab_id, status",
            [connection.ops.adapt_datefield_value(today), *labs, *OPEN_TEST_STATUSES])


@transaction.atomic
def board_rollup_refresh(now: dt.datetime | None = None, full: bool = False) -> RollupState:
    """Recount today's approvals (the last KEEP_DAYS days when `full`, or at the first refresh
    of a local day) and all open work, as of now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last = RollupState.objects.order_by("-refreshed_at").first()
    full = full or last is None or last.day != today
    since = today - dt.timedelta(days=KEEP_DAYS) if full else today
    BoardDay.objects.filter(Q(day__gte=since) | Q(day__lt=today - dt.timedelta(days=KEEP_DAYS))
                            ).delete()
    BoardDay.objects.bulk_create(_day_rows(since), batch_size=2000)
    OpenWork.objects.all().delete()
    _open_rows(today)
    RollupState.objects.all().delete()
    return RollupState.objects.create(refreshed_at=now, day=today, recounted_from=day_start(since))


def turnaround_rows(cover: Q, lab_filter: Q, since: dt.date) -> tuple[list, list]:
    """As the live turnaround queries give them: (reception day, approval day, tests) from the
    rows of `cover` (the network's, whole districts' and single labs' rows that together make
    the scope), and (lab, on time, tests) from the lab rows of `lab_filter`."""
    pairs: Counter = Counter()
    for day, by_days in (BoardDay.objects.filter(cover, day__gte=since)
                         .values_list("day", "by_days")):
        for days, count in enumerate(by_days):
            if count:
                pairs[(day - dt.timedelta(days=days), day)] += count
    labs = list(BoardDay.objects.filter(lab_filter, lab__isnull=False, day__gte=since)
                .values_list("lab_id").annotate(on_time=Sum("on_time"), n=Sum("completed"))
                .order_by())
    return [(received, approved, count) for (received, approved), count in pairs.items()], labs


def open_rows(lab_filter: Q) -> list[tuple[int, str, int, int]]:
    return list(OpenWork.objects.filter(lab_filter)
                .values_list("lab_id", "status", "open", "overdue"))
