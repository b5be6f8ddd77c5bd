"""Reads of instruments: register, live board, calibrations due, shared instruments, bookings."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from portlab.accounts.access import labs_where
from portlab.audit.models import AuditEvent
from portlab.core.errors import NotFound
from portlab.instruments.downtime import Episode
from portlab.instruments.models import (
    AgentState,
    Booking,
    Calibration,
    Instrument,
    IntermediateCheck,
    StateInterval,
)
from portlab.instruments.services.agent import OFFLINE_AFTER, effective_state
from portlab.instruments.utilisation import STATES, DayUse, use_per_day

BOARD_DAYS = 7
DOWN = (Instrument.Status.OUT_OF_SERVICE, Instrument.Status.UNDER_CALIBRATION)


def visible_lab_filter(user, prefix: str) -> Q:
    """Rows of the labs whose instruments the user sees (`prefix` leads to the lab); an
    outside user's network-wide "external_user" role opens only the shared instruments."""
    network, labs, districts = labs_where(user, "instrument.view")
    if network:
        return Q()
    return Q(**{f"{prefix}lab_id__in": labs}) | Q(**{f"{prefix}lab__district_id__in": districts})


def instruments_visible_to(user) -> QuerySet[Instrument]:
    """The instruments of the labs where the user holds a lab-side role."""
    return (Instrument.objects.select_related("lab", "telemetry")
            .filter(visible_lab_filter(user, "")).order_by("lab__code", "asset_number"))


def instrument_get(user, asset_number: str) -> Instrument:
    instrument = instruments_visible_to(user).filter(asset_number=asset_number).first()
    if instrument is None:
        raise NotFound(f"Instrument {asset_number} not found.")
    return instrument


def shared_instruments() -> QuerySet[Instrument]:
    """Instruments open to outside organisations (仪器开放共享)."""
    return (Instrument.objects.select_related("lab").filter(shareable=True)
            .exclude(status=Instrument.Status.RETIRED).order_by("lab__code", "asset_number"))


def shared_instrument_get(asset_number: str) -> Instrument:
    instrument = shared_instruments().filter(asset_number=asset_number).first()
    if instrument is None:
        raise NotFound(f"Instrument {asset_number} not found.")
    return instrument


@dataclass
class Due:
    instrument: Instrument
    what: str  # "calibration" or "check"
    due_date: dt.date | None  # None: never calibrated

    @property
    def overdue(self) -> bool:
        return self.due_date is None or self.due_date < timezone.localdate()


def calibrations_due(lab, days: int = 30, today: dt.date | None = None) -> list[Due]:
    """Calibrations and intermediate checks of the lab's working instruments due within `days`
    (or overdue), soonest first: the quality manager's list."""
    return calibrations_due_in([lab.pk], days, today)


def calibrations_due_in(lab_ids, days: int = 30, today: dt.date | None = None,
                        limit: int | None = None) -> list[Due]:
    """calibrations_due over several labs (None: every lab of the network, for its quality
    board); with `limit`, only the first ones, without reading every instrument of the
    network: the never calibrated (due first) are found by their asset numbers, the others from
    their latest calibrations; intermediate checks (computed from two dates) are read for the
    instruments that have them."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    working = Instrument.objects.exclude(status=Instrument.Status.RETIRED)
    if lab_ids is not None:
        working = working.filter(lab_id__in=lab_ids)
    calibrated = Calibration.objects.filter(instrument=OuterRef("pk"))
    never = (working.filter(calibration_interval_days__gt=0).exclude(Exists(calibrated))
             .order_by("asset_number"))
    found = [Due(instrument, "calibration", None)
             for instrument in (never[:limit] if limit else never)]
    if not limit or len(found) < limit:
        latest = (Calibration.objects.filter(instrument__in=working.filter(
            calibration_interval_days__gt=0), due_date__lte=horizon)
            .exclude(Exists(Calibration.objects.filter(
                Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), id__gt=OuterRef("id")),
                instrument=OuterRef("instrument"))))
            .select_related("instrument").order_by("due_date", "instrument__asset_number"))
        found += [Due(row.instrument, "calibration", row.due_date)
                  for row in (latest[:limit - len(found)] if limit else latest)]
    found += _checks_due(working, horizon)
    found.sort(key=lambda d: (d.due_date or dt.date.min, d.instrument.asset_number))
    return found[:limit] if limit else found


def _checks_due(working: QuerySet[Instrument], horizon: dt.date) -> list[Due]:
    latest = Calibration.objects.filter(instrument=OuterRef("pk")).order_by("-date", "-id")
    last_check = IntermediateCheck.objects.filter(instrument=OuterRef("pk")).order_by("-date")
    rows = working.filter(check_interval_days__gt=0).annotate(
        calibrated_on=Subquery(latest.values("date")[:1]),
        checked_on=Subquery(last_check.values("date")[:1]))
    found = []
    for instrument in rows:
        base = max(filter(None, [instrument.checked_on, instrument.calibrated_on]),
                   default=None)
        due = base + dt.timedelta(days=instrument.check_interval_days) if base else None
        if due is None or due <= horizon:
            found.append(Due(instrument, "check", due))
    return found


@dataclass
class BoardRow:
    instrument: Instrument
    state: str
    current_run: str
    last_seen: dt.datetime | None
    use: list[DayUse]  # the last BOARD_DAYS local days, today last and only up to now

    @property
    def hours_today(self) -> float:
        return self.use[-1].hours["running"] if self.use else 0.0

    @property
    def hours_week(self) -> float:
        return sum(day.hours["running"] for day in self.use)

    @property
    def state_hours(self) -> dict[str, float]:
        """Hours per state over the days shown (running, idle, error, offline, booked)."""
        return {state: sum(day.hours[state] for day in self.use) for state in STATES}

    @property
    def utilisation_percent(self) -> float:
        """Running or booked by outsiders, over the hours elapsed (today only up to now)."""
        elapsed = sum(day.elapsed for day in self.use)
        return 100 * sum(day.used for day in self.use) / elapsed if elapsed else 0.0


def board(user, now: dt.datetime | None = None, lab_code: str = "") -> list[tuple]:
    """[(lab, [BoardRow, ...]), ...] with the live state and the hours per state of the last
    7 days."""
    now = now or timezone.now()
    instruments = list(instruments_visible_to(user).exclude(status=Instrument.Status.RETIRED))
    if lab_code:
        instruments = [i for i in instruments if i.lab.code == lab_code]
    use = _use_per_day(instruments, now)
    groups: dict[int, tuple] = {}
    for instrument in instruments:
        telemetry = getattr(instrument, "telemetry", None)
        row = BoardRow(instrument=instrument,
                       state=effective_state(telemetry, now) if telemetry else AgentState.OFFLINE,
                       current_run=telemetry.current_run if telemetry else "",
                       last_seen=telemetry.last_seen if telemetry else None,
                       use=use.get(instrument.pk, []))
        groups.setdefault(instrument.lab_id, (instrument.lab, []))[1].append(row)
    return list(groups.values())


def _use_per_day(instruments: list[Instrument], now: dt.datetime) -> dict[int, list[DayUse]]:
    tz = timezone.get_current_timezone()
    today = timezone.localdate(now)
    days = [today - dt.timedelta(days=offset) for offset in range(BOARD_DAYS - 1, -1, -1)]
    since = dt.datetime.combine(days[0], dt.time.min, tz)
    last_seen = {i.pk: getattr(getattr(i, "telemetry", None), "last_seen", None)
                 for i in instruments}
    spans: dict[int, list] = {i.pk: [] for i in instruments}
    rows = StateInterval.objects.filter(
        Q(ended_at__gt=since) | Q(ended_at=None), instrument_id__in=list(spans),
        started_at__lt=now)
    for interval in rows:
        end = interval.ended_at
        if end is None:  # still in that state, as far as the last heartbeat tells
            seen = last_seen.get(interval.instrument_id) or interval.started_at
            end = min(now, seen + OFFLINE_AFTER)
        spans[interval.instrument_id].append((interval.state, interval.started_at, end))
    booked: dict[int, list] = {pk: [] for pk in spans}
    for booking in Booking.objects.filter(instrument_id__in=list(spans), end__gt=since,
                                          start__lt=now, status=Booking.Status.APPROVED):
        booked[booking.instrument_id].append((booking.start, booking.end))
    return {pk: use_per_day(items, booked[pk], days, tz, now) for pk, items in spans.items()}


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_bookings(instrument: Instrument, monday: dt.date) -> QuerySet[Booking]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tz)
    end = start + dt.timedelta(days=7)
    return (Booking.objects.select_related("user")
            .filter(instrument=instrument, start__lt=end, end__gt=start,
                    status__in=Booking.ACTIVE).order_by("start"))


def bookings_to_decide(user) -> QuerySet[Booking]:
    return (Booking.objects.select_related("instrument__lab", "user")
            .filter(visible_lab_filter(user, "instrument__"), status=Booking.Status.REQUESTED)
            .order_by("start"))


def bookings_of(user) -> QuerySet[Booking]:
    return (Booking.objects.select_related("instrument__lab").filter(user=user)
            .order_by("-start"))


def booking_get(user, booking_id: int) -> Booking:
    """A booking its owner, or staff of the instrument's lab, may act on."""
    booking = (Booking.objects.select_related("instrument__lab", "user")
               .filter(Q(user=user) | visible_lab_filter(user, "instrument__"), pk=booking_id)
               .first())
    if booking is None:
        raise NotFound(f"Booking {booking_id} not found.")
    return booking


def status_episodes() -> dict[int, list[Episode]]:
    """Lab id (every lab with an instrument) → its instruments' episodes out of service or
    under calibration, read from the audit trail: the status at registration and each change,
    in the order they were written, each on its local day. An episode that ended in
    retirement never came back and is left out."""
    labs = dict(Instrument.objects.values_list("id", "lab_id"))
    found: dict[int, list[Episode]] = {lab_id: [] for lab_id in set(labs.values())}
    down_since: dict[int, dt.date] = {}
    events = (AuditEvent.objects.filter(entity_type="instrument",
                                        action__in=("instrument_register", "instrument_status"))
              .order_by("id").values_list("entity_id", "at", "after"))
    for entity_id, at, after in events.iterator(chunk_size=5000):
        pk, status = int(entity_id), (after or {}).get("status")
        if pk not in labs or status is None:
            continue
        if status in DOWN:
            down_since.setdefault(pk, timezone.localdate(at))
        elif pk in down_since:
            down = down_since.pop(pk)
            if status == Instrument.Status.IN_SERVICE:
                found[labs[pk]].append(Episode(pk, down, timezone.localdate(at)))
    for pk, down in down_since.items():
        found[labs[pk]].append(Episode(pk, down, None))
    return found
