"""The quality monitoring board: the aggregates a quality manager reads every morning, for a
lab, a district or the whole network the user may see.

Every query is an aggregate over an indexed range of testing.Test — (lab, status, due_date) for
open and overdue work, (lab, completed_at) for turnaround — so that a district with millions of
tests answers in well under a second. Turnaround counts working days on the network's one
working-day calendar (`workdays`), the calendar of quotes, predictions and due dates.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.access import lab_scope
from portlab.boards import rollup
from portlab.core.errors import NotFound, PermissionDenied
from portlab.network.models import District, Lab
from portlab.quality import selectors
from portlab.quality.models import Complaint, CorrectiveAction, Nonconformity, PTResult, QCRun
from portlab.testing.models import OPEN_TEST_STATUSES, Test
from portlab.workdays.selectors import work_calendar

WINDOW_DAYS = 30


@dataclass
class Scope:
    kind: str  # lab / district / network
    label: str
    lab_ids: list[int]
    labs: dict[int, Lab] = field(default_factory=dict)
    lab_code: str = ""
    district_code: str = ""
    # Every lab of the network (no lab filter at all), or the districts all of whose labs
    # are in the scope: the roll-up has one row a day for each.
    whole_network: bool = False
    whole_districts: list[int] = field(default_factory=list)

    def query(self) -> str:
        if self.lab_code:
            return f"lab={self.lab_code}"
        return f"district={self.district_code}" if self.district_code else ""

    def lab_filter(self, prefix: str = "") -> Q:
        """Rows of the scope's labs; `prefix` leads to the lab."""
        return Q() if self.whole_network else Q(**{f"{prefix}lab_id__in": self.lab_ids})

    def rollup_cover(self) -> Q:
        """The roll-up rows that together count the scope's labs once each."""
        if self.whole_network:
            return Q(lab__isnull=True, district__isnull=True)
        whole = set(self.whole_districts)
        single = [pk for pk in self.lab_ids if self.labs[pk].district_id not in whole]
        return (Q(lab__isnull=True, district_id__in=whole) | Q(lab_id__in=single))


def board_scope(user, lab: str = "", district: str = "") -> Scope:
    """The labs a board covers: one lab, a district, or every lab the user sees."""
    visible = {item.pk: item for item in selectors.visible_labs(user).order_by("code")}
    if not visible:
        raise PermissionDenied(_("The board is for lab staff: you hold no role at a lab."))
    network, _labs, districts = lab_scope(user)
    if lab:
        chosen = next((item for item in visible.values() if item.code == lab), None)
        if chosen is None:
            raise NotFound(_("Lab %s not found among the labs you may see.") % lab, field="lab")
        return Scope("lab", f"{chosen.code} {chosen.name}", [chosen.pk], {chosen.pk: chosen},
                     lab_code=lab)
    if district:
        found = District.objects.filter(code=district).first()
        labs = {pk: item for pk, item in visible.items() if found and item.district_id == found.pk}
        if not labs:
            raise NotFound(_("District %s not found among the labs you may see.") % district,
                           field="district")
        whole = [found.pk] if network or found.pk in districts else []
        return Scope("district", found.name, list(labs), labs, district_code=district,
                     whole_districts=whole)
    return Scope("network", _("All my labs"), list(visible), visible, whole_network=network,
                 whole_districts=[] if network else sorted(districts))


def turnaround(scope: Scope, since: datetime.date, rolled_up: bool = False) -> dict:
    """Turnaround in working days (received → approved: the working days after the day of
    reception up to the day of approval, on the network's calendar) and the on-time share of
    tests completed since, overall and per lab: from two grouped scans of the (lab,
    completed_at) index range, one per (reception day, approval day) and one per lab, or from
    the roll-up (boards.rollup), grouped the same way."""
    days, labs = (rollup.turnaround_rows(scope.rollup_cover(), scope.lab_filter(), since)
                  if rolled_up else _turnaround_live(scope, since))
    return _turnaround_summary(days, labs)


def _turnaround_live(scope: Scope, since: datetime.date) -> tuple[list, list]:
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    received_sql, approved_sql, on_time_sql = rollup.TURNAROUND_SQL[connection.vendor]
    shift, midnight = rollup.zone_parameters(connection.vendor)
    marks = ", ".join(["%s"] * len(scope.lab_ids)) or "NULL"
    where = f"FROM {Test._meta.db_table} WHERE lab_id IN ({marks}) AND completed_at >= %s"
    start_value = connection.ops.adapt_datetimefield_value(start)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {received_sql}, {approved_sql}, COUNT(*) {where} "
                       f"GROUP BY 1, 2", [shift, shift, *scope.lab_ids, start_value])
        days = [(rollup.as_date(r), rollup.as_date(a), n) for r, a, n in cursor.fetchall()]
        cursor.execute(f"SELECT lab_id, SUM(CASE WHEN {on_time_sql} THEN 1 ELSE 0 END), "
                       f"COUNT(*) {where} GROUP BY lab_id", [midnight, *scope.lab_ids,
                                                             start_value])
        labs = cursor.fetchall()
    return days, labs


def _turnaround_summary(days: list[tuple], labs: list[tuple]) -> dict:
    """`days`: (reception day, approval day, tests); `labs`: (lab, on time, tests)."""
    calendar = work_calendar()
    bins = [0] * (rollup.TURNAROUND_BINS + 1)
    for received, approved, count in days:
        worked = calendar.working_days_between(received, approved)
        bins[min(worked, rollup.TURNAROUND_BINS)] += count
    per_lab = {lab_id: [int(count), int(on_time)] for lab_id, on_time, count in labs}
    total = sum(c[0] for c in per_lab.values())
    on_time = sum(c[1] for c in per_lab.values())
    return {"bins": bins, "completed": total, "on_time": on_time,
            "on_time_rate": on_time / total if total else None,
            "median_days": _median_bin(bins, total), "by_lab": per_lab}


def _median_bin(bins: list[int], total: int) -> int | None:
    running = 0
    for days, count in enumerate(bins):
        running += count
        if total and running * 2 >= total:
            return days
    return None


def open_work(scope: Scope, today: datetime.date, rolled_up: bool = False) -> dict:
    """Open tests by lab and status, and the overdue ones (due date passed) by lab."""
    by_status: Counter = Counter()
    by_lab: dict[int, Counter] = defaultdict(Counter)
    if rolled_up:
        for lab_id, status, count, overdue_count in rollup.open_rows(scope.lab_filter()):
            by_status[status] += count
            by_lab[lab_id]["open"] += count
            by_lab[lab_id]["overdue"] += overdue_count
    else:
        live = Test.objects.filter(scope.lab_filter(), status__in=OPEN_TEST_STATUSES)
        for row in live.values("lab_id", "status").annotate(n=Count("id")).order_by():
            by_status[row["status"]] += row["n"]
            by_lab[row["lab_id"]]["open"] += row["n"]
        overdue = (live.filter(due_date__lt=today).values("lab_id").annotate(n=Count("id"))
                   .order_by())
        for row in overdue:
            by_lab[row["lab_id"]]["overdue"] += row["n"]
    return {"by_status": {status: by_status[status] for status in OPEN_TEST_STATUSES},
            "open": sum(by_status.values()),
            "overdue": sum(counts["overdue"] for counts in by_lab.values()),
            "by_lab": by_lab}


def qc_summary(scope: Scope, since: datetime.date) -> dict:
    runs = QCRun.objects.filter(scope.lab_filter(), date__gte=since).exclude(
        status=QCRun.Status.PENDING)
    counts = Counter(dict(runs.values_list("status").annotate(n=Count("id")).order_by()))
    total = sum(counts.values())
    rejected = (runs.filter(status=QCRun.Status.REJECTED).select_related("test_item", "lab")
                .annotate(actions_count=Count("actions")).order_by("-date", "-id")[:6])
    return {"total": total, "rejected": counts[QCRun.Status.REJECTED],
            "warning": counts[QCRun.Status.WARNING],
            "rejection_rate": counts[QCRun.Status.REJECTED] / total if total else None,
            "recent_rejected": list(rejected)}


def pt_latest(scope: Scope, limit: int = 8) -> list[PTResult]:
    return list(PTResult.objects.filter(scope.lab_filter("participant__"),
                                        participant__round__status="scored")
                .select_related("participant__lab", "participant__round__scheme__test_item")
                .order_by("-participant__round__scored_at", "-id")[:limit])


def improvement(scope: Scope, today: datetime.date) -> dict:
    """Open and overdue nonconformities, complaints and corrective actions."""
    summary = {}
    for key, model in (("nonconformity", Nonconformity), ("complaint", Complaint),
                       ("action", CorrectiveAction)):
        open_rows = model.objects.filter(scope.lab_filter(), status="open")
        summary[key] = open_rows.aggregate(
            open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
    summary["overdue_list"] = list(
        Nonconformity.objects.filter(scope.lab_filter(), status="open", due_date__lt=today)
        .select_related("owner", "lab").order_by("due_date")[:5])
    return summary


def calibrations_due(lab_ids: list[int] | None, today: datetime.date) -> list:
    """Calibrations and intermediate checks due within 30 days (17025 §6.4), when the
    instruments app keeps them."""
    if not apps.is_installed("portlab.instruments"):
        return []
    from portlab.instruments.selectors import calibrations_due_in

    return calibrations_due_in(lab_ids, 30, today, limit=8)


def board_data(scope: Scope, today: datetime.date | None = None, live: bool = False) -> dict:
    """The board's figures: tests from the roll-up when it is fresh (rebuilt within the hour,
    for today) unless `live`, otherwise from the tests themselves; `rollup` says which."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    state = None if live else rollup.fresh_state()
    rolled_up = state is not None and state.day == today
    lab_ids = None if scope.whole_network else scope.lab_ids
    return {
        "scope": scope, "today": today, "since": since, "window_days": WINDOW_DAYS,
        "rollup": state if rolled_up else None,
        "turnaround": turnaround(scope, since, rolled_up),
        "work": open_work(scope, today, rolled_up),
        "qc": qc_summary(scope, since),
        "pt": pt_latest(scope),
        "authorizations": list(selectors.authorizations_expiring(lab_ids, 30, today)[:8]),
        "calibrations": calibrations_due(lab_ids, today),
        "improvement": improvement(scope, today),
        "alerts": list(selectors.alerts_open(lab_ids)[:8]),
    }
