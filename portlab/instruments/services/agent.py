"""What instrument agents do: authenticate, report heartbeats, receive and acknowledge commands."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.chunks import chunks
from portlab.core.errors import ApplicationError, ConflictError, NotFound
from portlab.core.tokens import new_token, token_digest
from portlab.instruments import telemetry_store
from portlab.instruments.models import (
    AgentState,
    Command,
    Instrument,
    InstrumentToken,
    StateInterval,
    Telemetry,
)
from portlab.instruments.services.registry import instrument_usable, require_lab_staff

OFFLINE_AFTER = dt.timedelta(seconds=60)
CLOCK_TOLERANCE = dt.timedelta(seconds=120)
REPORTABLE = (AgentState.IDLE, AgentState.RUNNING, AgentState.PAUSED, AgentState.ERROR)


@dataclass(frozen=True)
class AgentActor:
    """The audit trail's name for an instrument's agent (it is no user, so it has no pk)."""

    username: str
    pk: None = None


def agent_actor(instrument: Instrument) -> AgentActor:
    return AgentActor(username=f"agent:{instrument.asset_number}")


@transaction.atomic
def instrument_token_create(*, actor: User, instrument: Instrument) -> str:
    """A new agent token for the instrument, shown once; older tokens are revoked."""
    now = timezone.now()
    InstrumentToken.objects.filter(instrument=instrument, revoked_at=None).update(revoked_at=now)
    token = new_token("plt_")
    InstrumentToken.objects.create(instrument=instrument, token_hash=token_digest(token),
                                   created_at=now)
    Telemetry.objects.get_or_create(instrument=instrument)
    audit_record(actor=actor, action="instrument_token_create", entity=instrument,
                 after={"asset_number": instrument.asset_number})
    return token


def instrument_for_token(token: str) -> Instrument | None:
    row = (InstrumentToken.objects.select_related("instrument__telemetry")
           .filter(token_hash=token_digest(token), revoked_at=None).first())
    return row.instrument if row else None


# The heartbeat path runs ~2,700 times a second across the national network (161,000
# instruments, one a minute), so it speaks plain SQL: building a Django query costs more than
# running it. Table and column names come from the models.
@functools.cache
def _sql_names() -> dict[str, str]:
    quote = connection.ops.quote_name
    names = {"telemetry": quote(Telemetry._meta.db_table),
             "token": quote(InstrumentToken._meta.db_table),
             "command": quote(Command._meta.db_table)}
    for field in Telemetry._meta.concrete_fields:
        names[f"t_{field.name}"] = quote(field.column)
    return names


def telemetry_for_token(token: str) -> Telemetry | None:
    """The telemetry row of the instrument an agent token (not revoked) belongs to: what a
    heartbeat needs (id, instrument, state, last seen, last sequence), in one query."""
    return telemetries_for_tokens([token]).get(token_digest(token))


def _from_db(name: str, value):
    """A raw column value as the ORM would give it (SQLite returns datetimes as text)."""
    field = _concrete_field(name)
    column = field.cached_col
    # django-stubs 5.2 does not declare Field.get_db_converters (Django has it since 1.8).
    for converter in [*connection.ops.get_db_converters(column),
                      *field.get_db_converters(connection)]:  # type: ignore[attr-defined]
        value = converter(value, column, connection)
    return value


def _to_db(name: str, value):
    return _concrete_field(name).get_db_prep_save(value, connection)


def _concrete_field(name: str) -> Field:
    field = Telemetry._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"Telemetry.{name} is not a column")
    return field


def commands_pending(instrument_id: int) -> bool:
    """Whether commands wait for the instrument's agent (told in every heartbeat answer)."""
    n = _sql_names()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {n['command']} WHERE instrument_id = %s AND status = %s "
                       f"LIMIT 1", [instrument_id, Command.Status.PENDING])
        return cursor.fetchone() is not None


@dataclass
class Heartbeat:
    sequence: int
    sent_at: dt.datetime
    state: str
    current_run: str = ""
    counters: dict | None = None
    agent_version: str = ""


def check_heartbeat(beat: Heartbeat, now: dt.datetime) -> None:
    if beat.state not in REPORTABLE:
        raise ApplicationError(_("Unknown instrument state “%s”.") % beat.state, field="state")
    if beat.sequence < 1:
        raise ApplicationError(_("The sequence number must be positive."), field="sequence")
    if timezone.is_naive(beat.sent_at):
        raise ApplicationError(_("The timestamp needs a time zone."), field="sent_at")
    skew = abs((now - beat.sent_at).total_seconds())
    if skew > CLOCK_TOLERANCE.total_seconds():
        raise ApplicationError(
            _("The heartbeat was sent %(skew)d s away from the server clock (limit %(limit)d s): "
              "stale, or the instrument PC's clock is wrong.")
            % {"skew": skew, "limit": CLOCK_TOLERANCE.total_seconds()}, field="sent_at")


def heartbeat_record(*, instrument: Instrument, beat: Heartbeat,
                     telemetry: Telemetry | None = None) -> Telemetry:
    """Store a heartbeat unless it repeats or precedes one already accepted (409).

    The common case (same state) is one conditional UPDATE and no transaction; `telemetry`
    is the row just read with the agent's token, if the caller has it.
    """
    now = timezone.now()
    check_heartbeat(beat, now)
    telemetry = telemetry or Telemetry.objects.get(instrument=instrument)
    if telemetry.pk not in _store_heartbeats([(telemetry, beat)], now):
        last = Telemetry.objects.values_list("last_sequence", flat=True).get(pk=telemetry.pk)
        raise replayed(beat, last)
    _stored(instrument, telemetry, beat, now)
    return telemetry


def replayed(beat: Heartbeat, last: int) -> ConflictError:
    return ConflictError(
        _("Heartbeat %(sequence)d is not after the last accepted one (%(last)d): "
          "replayed or out of order.") % {"sequence": beat.sequence, "last": last},
        field="sequence")


def _stored(instrument: Instrument, telemetry: Telemetry, beat: Heartbeat,
            now: dt.datetime, keep: list | None = None) -> None:
    """After a heartbeat is written: record a change of state, keep a history sample if a
    5-minute slot opens, and move `telemetry` on."""
    sample = (telemetry.instrument_id, telemetry.last_seen, beat.state, beat.counters or {})
    if keep is None:
        telemetry_store.samples_keep([sample], now)
    else:  # the caller keeps a batch's samples at once
        keep.append(sample)
    if effective_state(telemetry, now) != beat.state:
        record_transition(instrument, telemetry, beat.state, now)
    telemetry.state, telemetry.last_seen, telemetry.last_sequence = beat.state, now, beat.sequence


def _store_heartbeats(beats: list[tuple[Telemetry, Heartbeat]], now: dt.datetime) -> set[int]:
    """Store heartbeats of instruments (each once) with one UPDATE ... FROM (VALUES ...) per
    hundred; only a sequence number after the stored one is accepted. Returns the ids of the
    telemetry rows that took their heartbeat."""
    n = _sql_names()
    accepted: set[int] = set()
    seen = _to_db("last_seen", now)
    for part in chunks(beats, 100):
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(part))
        params = [value for telemetry, beat in part for value in (
            telemetry.pk, beat.sequence, seen, beat.state, beat.current_run[:80],
            _to_db("counters", beat.counters or {}), beat.agent_version[:40])]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH v (id, seq, seen, state, run, counters, version) AS (VALUES {values}) "
                f"UPDATE {n['telemetry']} SET {n['t_last_sequence']} = v.seq, "
                f"{n['t_last_seen']} = v.seen, {n['t_state']} = v.state, "
                f"{n['t_current_run']} = v.run, {n['t_counters']} = v.counters, "
                f"{n['t_agent_version']} = v.version FROM v "
                f"WHERE {n['telemetry']}.{n['t_id']} = v.id "
                f"AND {n['telemetry']}.{n['t_last_sequence']} < v.seq "
                f"RETURNING {n['telemetry']}.{n['t_id']}", params)
            accepted.update(row[0] for row in cursor.fetchall())
    return accepted


def telemetries_for_tokens(tokens: list[str]) -> dict[str, Telemetry]:
    """The telemetry rows of many agent tokens (not revoked) in one query: token digest ->
    telemetry row (id, instrument, state, last seen, last sequence)."""
    digests = sorted({token_digest(token) for token in tokens})
    if not digests:
        return {}
    n = _sql_names()
    marks = ", ".join(["%s"] * len(digests))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.token_hash, t.{n['t_id']}, t.{n['t_instrument']}, t.{n['t_state']}, "
            f"t.{n['t_last_seen']}, t.{n['t_last_sequence']} FROM {n['token']} k "
            f"JOIN {n['telemetry']} t ON t.{n['t_instrument']} = k.instrument_id "
            f"WHERE k.token_hash IN ({marks}) AND k.revoked_at IS NULL", digests)
        rows = cursor.fetchall()
    return {row[0]: Telemetry(pk=row[1], instrument_id=row[2], state=row[3],
                              last_seen=_from_db("last_seen", row[4]), last_sequence=row[5])
            for row in rows}


@dataclass(frozen=True)
class Relayed:
    """What became of one relayed heartbeat: its telemetry and whether commands wait, or the
    reason it was refused."""

    telemetry: Telemetry | None = None
    pending_commands: bool = False
    error: ApplicationError | None = None


@transaction.atomic
def heartbeats_relay(beats: list[tuple[str, Heartbeat]]) -> list[Relayed]:
    """Heartbeats of many instruments sent together by a lab's gateway, each with its
    instrument's agent token. Each is checked and stored as heartbeat_record does and refused
    on its own (unknown token, replay, stale clock). One query reads all their rows, one
    UPDATE per hundred stores them (one by one, in order, if an instrument comes twice), one
    finds waiting commands, and one commit ends the batch."""
    rows = telemetries_for_tokens([token for token, _beat in beats])
    now = timezone.now()
    outcomes: list[Relayed] = [Relayed()] * len(beats)
    checked: list[tuple[int, Telemetry, Heartbeat]] = []
    for index, (token, beat) in enumerate(beats):
        telemetry = rows.get(token_digest(token))
        try:
            if telemetry is None:
                raise ApplicationError(_("Unknown or revoked agent token."), field="token")
            check_heartbeat(beat, now)
        except ApplicationError as error:
            outcomes[index] = Relayed(error=error)
            continue
        checked.append((index, telemetry, beat))
    samples: list = []
    once = len({telemetry.pk for _index, telemetry, _beat in checked}) == len(checked)
    accepted = _store_heartbeats([(t, b) for _i, t, b in checked], now) if once else set()
    for index, telemetry, beat in checked:
        if not once:  # one by one, in order
            accepted = _store_heartbeats([(telemetry, beat)], now)
        if telemetry.pk not in accepted:
            outcomes[index] = Relayed(error=replayed(beat, telemetry.last_sequence))
            continue
        _stored(Instrument(pk=telemetry.instrument_id), telemetry, beat, now, samples)
        # A copy: a later beat of the same instrument in this batch moves the shared row on.
        outcomes[index] = Relayed(telemetry=Telemetry(
            pk=telemetry.pk, instrument_id=telemetry.instrument_id, state=telemetry.state,
            last_sequence=telemetry.last_sequence, last_seen=telemetry.last_seen))
    telemetry_store.samples_keep(samples, now)
    waiting = _instruments_with_pending_commands(
        {outcome.telemetry.instrument_id for outcome in outcomes if outcome.telemetry})
    return [Relayed(telemetry=outcome.telemetry,
                    pending_commands=outcome.telemetry.instrument_id in waiting)
            if outcome.telemetry else outcome for outcome in outcomes]


def _instruments_with_pending_commands(instrument_ids: set[int]) -> set[int]:
    return set(Command.objects.filter(instrument_id__in=instrument_ids,
                                      status=Command.Status.PENDING)
               .values_list("instrument_id", flat=True).distinct())


def effective_state(telemetry: Telemetry, now: dt.datetime) -> str:
    """The reported state, or offline once heartbeats stopped for more than 60 s."""
    if telemetry.last_seen is None or now - telemetry.last_seen > OFFLINE_AFTER:
        return AgentState.OFFLINE
    return telemetry.state


@transaction.atomic
def record_transition(instrument: Instrument, telemetry: Telemetry, state: str,
                       now: dt.datetime) -> None:
    """Close the open interval and open one for `state`. If heartbeats had stopped and no
    sweep noticed, the old state ends at the last heartbeat and the gap counts as offline."""
    open_interval = (StateInterval.objects.select_for_update()
                     .filter(instrument=instrument, ended_at=None).order_by("-started_at").first())
    last_seen = telemetry.last_seen
    if open_interval is not None:
        if (last_seen is not None and now - last_seen > OFFLINE_AFTER
                and open_interval.state != AgentState.OFFLINE):
            _end(open_interval, last_seen)
            open_interval = StateInterval.objects.create(
                instrument=instrument, state=AgentState.OFFLINE, started_at=last_seen)
        _end(open_interval, now)
    StateInterval.objects.create(instrument=instrument, state=state, started_at=now)


def _end(interval: StateInterval, at: dt.datetime) -> None:
    interval.ended_at = max(at, interval.started_at)
    interval.save(update_fields=["ended_at"])


def instruments_sweep(*, now: dt.datetime | None = None) -> list[Instrument]:
    """Record the offline transition of every instrument whose heartbeats stopped."""
    now = now or timezone.now()
    silent = (Telemetry.objects.select_related("instrument")
              .filter(last_seen__lt=now - OFFLINE_AFTER).exclude(state=AgentState.OFFLINE))
    gone = []
    for telemetry in silent:
        with transaction.atomic():
            changed = Telemetry.objects.filter(pk=telemetry.pk, last_seen=telemetry.last_seen,
                                               state=telemetry.state
                                               ).update(state=AgentState.OFFLINE)
            last_seen = telemetry.last_seen
            if not changed or last_seen is None:  # a heartbeat arrived meanwhile
                continue
            open_interval = (StateInterval.objects.select_for_update()
                             .filter(instrument_id=telemetry.instrument_id, ended_at=None).first())
            if open_interval is not None:
                _end(open_interval, last_seen)
            StateInterval.objects.create(instrument_id=telemetry.instrument_id,
                                         state=AgentState.OFFLINE, started_at=last_seen)
            audit_record(actor=None, action="instrument_offline", entity=telemetry.instrument,
                         before={"state": telemetry.state}, after={"state": AgentState.OFFLINE})
            gone.append(telemetry.instrument)
    return gone


def guard_command_create(*, actor, obj: Instrument) -> None:
    """The lab's manager or analysts send a remote command to its instrument."""
    require_lab_staff(actor, obj, "instrument.command")


@transaction.atomic
def command_create(*, actor: User, instrument: Instrument, kind: str,
                   sequence_name: str = "") -> Command:
    """Queue a remote command for the instrument's agent (its lab's manager or analysts)."""
    guard_command_create(actor=actor, obj=instrument)
    if kind not in Command.Kind.values:
        raise ApplicationError(_("Unknown command “%s”.") % kind, field="kind")
    if kind == Command.Kind.START:
        if not sequence_name.strip():
            raise ApplicationError(_("Name the sequence to start."), field="sequence_name")
        instrument_usable(instrument, timezone.now())
    command = Command.objects.create(instrument=instrument, kind=kind, created_by=actor,
                                     sequence_name=sequence_name.strip()[:120],
                                     created_at=timezone.now())
    audit_record(actor=actor, action="instrument_command", entity=command,
                 after={"instrument": instrument.asset_number, "kind": kind,
                        "sequence": command.sequence_name})
    return command


@transaction.atomic
def commands_deliver(*, instrument: Instrument) -> list[Command]:
    """Commands the agent has not acknowledged yet; delivered ones are sent again until it does."""
    rows = list(Command.objects.filter(
        instrument=instrument, status__in=(Command.Status.PENDING, Command.Status.DELIVERED))
        .order_by("id"))
    now = timezone.now()
    fresh = [row.pk for row in rows if row.status == Command.Status.PENDING]
    Command.objects.filter(pk__in=fresh).update(status=Command.Status.DELIVERED, delivered_at=now)
    return rows


@transaction.atomic
def command_acknowledge(*, instrument: Instrument, command_id: int, ok: bool,
                        message: str = "") -> Command:
    command = (Command.objects.select_for_update()
               .filter(pk=command_id, instrument=instrument).first())
    if command is None:
        raise NotFound(_("Command %s not found for this instrument.") % command_id)
    if command.status in (Command.Status.DONE, Command.Status.FAILED):
        raise ConflictError(_("Command %s was already acknowledged.") % command_id)
    before = command.status
    command.status = Command.Status.DONE if ok else Command.Status.FAILED
    command.acknowledged_at, command.response = timezone.now(), message[:500]
    command.save(update_fields=["status", "acknowledged_at", "response"])
    audit_record(actor=agent_actor(instrument), action="instrument_command_ack", entity=command,
                 before={"status": before}, after={"status": command.status,
                                                   "response": command.response})
    return command
