"""Instrument API: the agent's endpoints (instrument token) and the lab's and bookers' ones."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from portlab.core.errors import NotFound
from portlab.instruments import selectors, services
from portlab.instruments.models import Booking, Instrument
from portlab.testing import selectors as testing_selectors
from portlab.testing.api import ResultIn, TestOut, test_out
from portlab.testing.results import ResultInput

router = Router()


class AgentToken(HttpBearer):
    """The per-instrument token of `portlab instrument-token`; unknown or revoked → 401.
    `lookup` reads what the route needs with the token and is kept as request.<attribute>."""

    def __init__(self, lookup, attribute: str):
        super().__init__()
        self.lookup, self.attribute = lookup, attribute

    def authenticate(self, request: HttpRequest, token: str):
        found = self.lookup(token)
        if found is None:
            return None
        setattr(request, self.attribute, found)
        return found


class HeartbeatToken(HttpBearer):
    """A heartbeat's token is checked by the statement that stores the heartbeat
    (services.heartbeat_take: unknown or revoked → 401), so here it is only taken."""

    def authenticate(self, request: HttpRequest, token: str):
        return token or None


agent_auth = AgentToken(services.instrument_for_token, "instrument")
heartbeat_auth = HeartbeatToken()


class PingOut(Schema):
    ok: bool


@router.get("/instruments/ping", response=PingOut, auth=None)
def ping(request: HttpRequest):
    """A trivial endpoint: the baseline of bench/bench_heartbeat.py."""
    return {"ok": True}


class HeartbeatIn(Schema):
    sequence: int
    sent_at: dt.datetime
    state: str
    current_run: str = ""
    counters: dict[str, float | int | str] = {}
    agent_version: str = ""


class HeartbeatOut(Schema):
    accepted: int
    state: str
    pending_commands: bool


@router.post("/instruments/agent/heartbeat", response=HeartbeatOut, auth=heartbeat_auth)
def agent_heartbeat(request: HttpRequest, payload: HeartbeatIn):
    telemetry, pending = services.heartbeat_take(request.auth,
                                                 services.Heartbeat(**payload.dict()))
    return HeartbeatOut(accepted=telemetry.last_sequence, state=telemetry.state,
                        pending_commands=pending)


RELAY_LIMIT = 1000


class RelayedHeartbeatIn(HeartbeatIn):
    token: str


class HeartbeatsIn(Schema):
    heartbeats: list[RelayedHeartbeatIn] = Field(..., min_length=1, max_length=RELAY_LIMIT)


class RelayedOut(Schema):
    accepted: int | None = None
    state: str | None = None
    pending_commands: bool = False
    error: str | None = None
    field: str | None = None


class HeartbeatsOut(Schema):
    results: list[RelayedOut]


@router.post("/instruments/agent/heartbeats", response=HeartbeatsOut, auth=None)
def agent_heartbeats(request: HttpRequest, payload: HeartbeatsIn):
    """Heartbeats of up to 1,000 instruments from a lab's gateway, each carrying its own
    instrument's agent token; one answer per heartbeat, in order (accepted or why not)."""
    outcomes = services.heartbeats_relay([
        (item.token, services.Heartbeat(**item.dict(exclude={"token"})))
        for item in payload.heartbeats])
    return HeartbeatsOut(results=[
        RelayedOut(accepted=outcome.telemetry.last_sequence, state=outcome.telemetry.state,
                   pending_commands=outcome.pending_commands) if outcome.telemetry
        else RelayedOut(error=outcome.error.message, field=outcome.error.field)
        for outcome in outcomes])


class FileOut(Schema):
    filename: str
    sha256: str
    status: str
    duplicate: bool
    results_imported: int
    # Every row accounted for: awaiting the analyst's confirmation, held, entered, rejected.
    matched: int
    held: int
    entered: int
    rejected: int


@router.post("/instruments/agent/files", response=FileOut, auth=agent_auth)
def agent_file(request: HttpRequest, file: File[UploadedFile]):
    instrument = request.instrument
    outcome = services.result_file_import(actor=services.agent_actor(instrument),
                                          instrument=instrument, filename=file.name or "",
                                          content=file.read())
    return _file_out(outcome)


def _file_out(outcome: services.ImportOutcome) -> FileOut:
    row = outcome.result_file
    return FileOut(filename=row.filename, sha256=row.sha256, status=row.status,
                   duplicate=outcome.duplicate, results_imported=row.results_imported,
                   **outcome.counts)


class CommandOut(Schema):
    id: int
    kind: str
    sequence_name: str
    status: str
    created_at: dt.datetime


@router.get("/instruments/agent/commands", response=list[CommandOut], auth=agent_auth)
def agent_commands(request: HttpRequest):
    return services.commands_deliver(instrument=request.instrument)


class AckIn(Schema):
    ok: bool
    message: str = ""


@router.post("/instruments/agent/commands/{command_id}/ack", response=CommandOut,
             auth=agent_auth)
def agent_ack(request: HttpRequest, command_id: int, payload: AckIn):
    return services.command_acknowledge(instrument=request.instrument, command_id=command_id,
                                        ok=payload.ok, message=payload.message)


class InstrumentOut(Schema):
    asset_number: str
    name: str
    instrument_type: str
    lab: str
    status: str
    state: str
    current_run: str
    last_seen: dt.datetime | None
    hours_today: float
    utilisation_percent: float
    state_hours: dict[str, float]


@router.get("/instruments", response=list[InstrumentOut])
def instruments(request: HttpRequest, lab: str = ""):
    return [InstrumentOut(asset_number=row.instrument.asset_number, name=row.instrument.name,
                          instrument_type=row.instrument.instrument_type,
                          lab=row.instrument.lab.code, status=row.instrument.status,
                          state=row.state, current_run=row.current_run,
                          last_seen=row.last_seen, hours_today=round(row.hours_today, 2),
                          utilisation_percent=round(row.utilisation_percent, 1),
                          state_hours={state: round(hours, 2)
                                       for state, hours in row.state_hours.items()})
            for _lab, rows in selectors.board(request.user, lab_code=lab) for row in rows]


class CommandIn(Schema):
    kind: str
    sequence_name: str = ""


@router.post("/instruments/{asset_number}/commands", response={201: CommandOut})
def command_create(request: HttpRequest, asset_number: str, payload: CommandIn):
    instrument = _managed(request, asset_number)
    return Status(201, services.command_create(actor=request.user, instrument=instrument,
                                               kind=payload.kind,
                                               sequence_name=payload.sequence_name))


def _managed(request: HttpRequest, asset_number: str) -> Instrument:
    """An instrument the user manages; one they only see elsewhere is a permission error."""
    instrument = Instrument.objects.select_related("lab").filter(
        asset_number=asset_number).first()
    if instrument is None:
        return selectors.instrument_get(request.user, asset_number)  # raises NotFound
    return instrument


@router.post("/instruments/{asset_number}/files", response=FileOut)
def file_upload(request: HttpRequest, asset_number: str, file: File[UploadedFile]):
    instrument = _managed(request, asset_number)
    return _file_out(services.result_file_import(
        actor=request.user, instrument=instrument, filename=file.name or "",
        content=file.read()))


class SharedOut(Schema):
    asset_number: str
    name: str
    instrument_type: str
    manufacturer: str
    model: str
    lab: str
    location: str
    hourly_rate: Decimal


@router.get("/instruments/shared", response=list[SharedOut])
def shared(request: HttpRequest):
    return [SharedOut(asset_number=i.asset_number, name=i.name,
                      instrument_type=i.instrument_type, manufacturer=i.manufacturer,
                      model=i.model, lab=i.lab.name, location=i.location,
                      hourly_rate=i.hourly_rate) for i in selectors.shared_instruments()]


class BookingIn(Schema):
    start: dt.datetime
    end: dt.datetime
    purpose: str = ""
    organisation: str = ""


class BookingOut(Schema):
    id: int
    instrument: str
    start: dt.datetime
    end: dt.datetime
    status: str
    fee: Decimal
    version: int


def _booking_out(booking: Booking) -> BookingOut:
    return BookingOut(id=booking.pk, instrument=booking.instrument.asset_number,
                      start=booking.start, end=booking.end, status=booking.status,
                      fee=booking.fee, version=booking.version)


@router.post("/instruments/{asset_number}/bookings", response={201: BookingOut})
def booking_request(request: HttpRequest, asset_number: str, payload: BookingIn):
    booking = services.booking_request(
        actor=request.user, instrument=selectors.shared_instrument_get(asset_number),
        start=payload.start, end=payload.end, purpose=payload.purpose,
        organisation=payload.organisation)
    return Status(201, _booking_out(booking))


class DecisionIn(Schema):
    note: str = ""
    version: int


DECISIONS = {"approve": services.booking_approve, "reject": services.booking_reject,
             "cancel": services.booking_cancel}


@router.post("/instruments/bookings/{booking_id}/{decision}", response=BookingOut)
def booking_decide(request: HttpRequest, booking_id: int, decision: str, payload: DecisionIn):
    if decision not in DECISIONS:
        raise NotFound(f"Unknown booking action “{decision}”.")
    booking = selectors.booking_get(request.user, booking_id)
    DECISIONS[decision](actor=request.user, booking=booking, note=payload.note,
                        expected_version=payload.version)
    return _booking_out(booking)


# Manual result entry naming an instrument: the same gate as file imports (see result_entry).
@router.post("/tests/{test_id}/result", response=TestOut)
def test_result_enter(request: HttpRequest, test_id: int, payload: ResultIn):
    test = testing_selectors.test_get(request.user, test_id)
    data = ResultInput(kind=payload.kind, value=payload.value, unit=payload.unit,
                       uncertainty=payload.uncertainty, text=payload.text,
                       coverage_factor=payload.coverage_factor)
    instrument = (selectors.instrument_get(request.user, payload.instrument.strip())
                  if payload.instrument.strip() else None)
    services.result_enter_manual(actor=request.user, test=test, data=data,
                                 instrument=instrument, reason=payload.reason,
                                 expected_version=payload.version)
    return test_out(testing_selectors.test_get(request.user, test_id))
