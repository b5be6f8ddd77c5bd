"""What instrument agents do: authenticate, report heartbeats, receive and acknowledge commands."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import Role
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, ConflictError, NotFound
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


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def instrument_token_create(*, actor, instrument: Instrument) -> str:
    """A new agent token for the instrument, shown once; older tokens are revoked."""
    now = timezone.now()
    InstrumentToken.objects.filter(instrument=instrument, revoked_at=None).update(revoked_at=now)
    token = "plt_" + secrets.token_urlsafe(32)
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


@dataclass
class Heartbeat:
    sequence: int
    sent_at: dt.datetime
    state: str
    current_run: str = ""
    counters: dict | None = None
    agent_version: str = ""


def _check_heartbeat(beat: Heartbeat, now: dt.datetime) -> None:
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
    _check_heartbeat(beat, now)
    telemetry = telemetry or Telemetry.objects.get(instrument=instrument)
    updated = Telemetry.objects.filter(pk=telemetry.pk, last_sequence__lt=beat.sequence).update(
        last_sequence=beat.sequence, last_seen=now, state=beat.state,
        current_run=beat.current_run[:80], counters=beat.counters or {},
        agent_version=beat.agent_version[:40])
    if not updated:
        last = Telemetry.objects.values_list("last_sequence", flat=True).get(pk=telemetry.pk)
        raise ConflictError(
            _("Heartbeat %(sequence)d is not after the last accepted one (%(last)d): "
              "replayed or out of order.") % {"sequence": beat.sequence, "last": last},
            field="sequence")
    previous = effective_state(telemetry, now)
    if previous != beat.state:
        _record_transition(instrument, telemetry, beat.state, now)
    telemetry.state, telemetry.last_seen, telemetry.last_sequence = beat.state, now, beat.sequence
    return telemetry


def effective_state(telemetry: Telemetry, now: dt.datetime) -> str:
    """The reported state, or offline once heartbeats stopped for more than 60 s."""
    if telemetry.last_seen is None or now - telemetry.last_seen > OFFLINE_AFTER:
        return AgentState.OFFLINE
    return telemetry.state


@transaction.atomic
def _record_transition(instrument: Instrument, telemetry: Telemetry, state: str,
                       now: dt.datetime) -> None:
    """Close the open interval and open one for `state`. If heartbeats had stopped and no
    sweep noticed, the old state ends at the last heartbeat and the gap counts as offline."""
    open_interval = (StateInterval.objects.select_for_update()
                     .filter(instrument=instrument, ended_at=None).order_by("-started_at").first())
    lapsed = telemetry.last_seen is not None and now - telemetry.last_seen > OFFLINE_AFTER
    if open_interval is not None:
        if lapsed and open_interval.state != AgentState.OFFLINE:
            _end(open_interval, telemetry.last_seen)
            open_interval = StateInterval.objects.create(
                instrument=instrument, state=AgentState.OFFLINE, started_at=telemetry.last_seen)
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
            if not changed:
                continue  # a heartbeat arrived meanwhile
            open_interval = (StateInterval.objects.select_for_update()
                             .filter(instrument_id=telemetry.instrument_id, ended_at=None).first())
            if open_interval is not None:
                _end(open_interval, telemetry.last_seen)
            StateInterval.objects.create(instrument_id=telemetry.instrument_id,
                                         state=AgentState.OFFLINE, started_at=telemetry.last_seen)
            audit_record(actor=None, action="instrument_offline", entity=telemetry.instrument,
                         before={"state": telemetry.state}, after={"state": AgentState.OFFLINE})
            gone.append(telemetry.instrument)
    return gone


@transaction.atomic
def command_create(*, actor, instrument: Instrument, kind: str,
                   sequence_name: str = "") -> Command:
    """Queue a remote command for the instrument's agent (its lab's manager or analysts)."""
    require_lab_staff(actor, instrument, Role.LAB_MANAGER, Role.ANALYST)
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
