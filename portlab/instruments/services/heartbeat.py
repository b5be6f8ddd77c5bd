"""One agent heartbeat per request, the common path of the national network (~2,700 a second).

A heartbeat moves the instrument's current row (Telemetry: state, last seen, last sequence)
and, once per 5-minute slot, leaves a sample in the telemetry history (TelemetrySample,
partitioned by day on PostgreSQL). On PostgreSQL the token look-up, the conditional UPDATE, the
sample and the pending-commands check are one statement (one round trip, one commit); on
SQLite they are the ORM's separate statements. A heartbeat writes no audit event; only a change
of state records a state interval.
"""

import datetime as dt
from typing import Any

import psycopg
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError, NotAuthenticated
from portlab.core.tokens import token_digest
from portlab.instruments import telemetry_store
from portlab.instruments.models import Command, Instrument, Telemetry
from portlab.instruments.services import agent
from portlab.instruments.services.agent import Heartbeat

# Losing the last fraction of a second of "last seen" moves in a database crash is harmless
# (the next heartbeat, a minute later, moves it again), so heartbeats skip waiting for the
# WAL flush on PostgreSQL; every other write keeps synchronous commit.
ASYNC_COMMIT = True


def unknown_token() -> NotAuthenticated:
    return NotAuthenticated(_("Unknown or revoked agent token."), field="token")


def heartbeat_take(token: str, beat: Heartbeat) -> tuple[Telemetry, bool]:
    """Store one heartbeat sent with its instrument's agent token: the telemetry row as it is
    now, and whether commands wait. Unknown or revoked token: 401; replayed: 409; bad: 400."""
    now = timezone.now()
    try:
        agent.check_heartbeat(beat, now)
    except ApplicationError:
        if agent.telemetry_for_token(token) is None:
            raise unknown_token() from None
        raise
    if connection.vendor != "postgresql":
        telemetry = agent.telemetry_for_token(token)
        if telemetry is None:
            raise unknown_token()
        agent.heartbeat_record(instrument=Instrument(pk=telemetry.instrument_id), beat=beat,
                               telemetry=telemetry)
        return telemetry, agent.commands_pending(telemetry.instrument_id)
    row = _one_statement(token, beat, now)
    if row is None:
        raise unknown_token()
    old = Telemetry(pk=row[0], instrument_id=row[1], state=row[2], last_seen=row[3],
                    last_sequence=row[4])
    if not row[5]:
        raise agent.replayed(beat, old.last_sequence)
    if agent.effective_state(old, now) != beat.state:
        agent.record_transition(Instrument(pk=old.instrument_id), old, beat.state, now)
    return Telemetry(pk=old.pk, instrument_id=old.instrument_id, state=beat.state,
                     last_seen=now, last_sequence=beat.sequence), bool(row[6])


def _one_statement(token: str, beat: Heartbeat, now: dt.datetime) -> tuple | None:
    """PostgreSQL: read the row by token, move it on if the sequence is newer, keep a sample
    if a slot opens, and look for waiting commands, in one statement. Returns (id, instrument,
    old state, old last seen, old sequence, accepted, commands waiting), or None."""
    telemetry, token_table = Telemetry._meta.db_table, "instruments_instrumenttoken"
    counters = connection.ops.adapt_json_value(beat.counters or {}, None)
    params: dict[str, Any] = {"digest": token_digest(token), "seq": beat.sequence, "now": now,
              "state": beat.state, "run": beat.current_run[:80], "counters": counters,
              "version": beat.agent_version[:40], "slot": telemetry_store.slot_of(now),
              "pending": Command.Status.PENDING,
              "sync": "off" if ASYNC_COMMIT else "on"}
    sql = f"""
        WITH old AS (
            SELECT t.id, t.instrument_id, t.state, t.last_seen, t.last_sequence
            FROM {token_table} k JOIN {telemetry} t ON t.instrument_id = k.instrument_id
            CROSS JOIN (SELECT set_config('synchronous_commit', %(sync)s, true)) c
            WHERE k.token_hash = %(digest)s AND k.revoked_at IS NULL),
        moved AS (
            UPDATE {telemetry} t SET last_sequence = %(seq)s, last_seen = %(now)s,
                state = %(state)s, current_run = %(run)s, counters = %(counters)s,
                agent_version = %(version)s
            FROM old WHERE t.id = old.id AND t.last_sequence < %(seq)s RETURNING t.id),
        kept AS (
            INSERT INTO {telemetry_store.TABLE} (instrument_id, at, state, counters)
            SELECT old.instrument_id, %(slot)s, %(state)s, %(counters)s
            FROM old JOIN moved ON moved.id = old.id
            WHERE old.last_seen IS NULL OR old.last_seen < %(slot)s
            ON CONFLICT DO NOTHING RETURNING 1)
        SELECT old.id, old.instrument_id, old.state, old.last_seen, old.last_sequence,
            EXISTS (SELECT 1 FROM moved),
            EXISTS (SELECT 1 FROM {Command._meta.db_table} c
                    WHERE c.instrument_id = old.instrument_id AND c.status = %(pending)s)
        FROM old"""
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def prepared_cursor():
    """A cursor whose statements PostgreSQL parses and plans once per connection.

    Django's cursors bind parameters on the client (the statement is sent as text with its
    values in it), so PostgreSQL plans every heartbeat anew: about as long as running it. A
    server-binding cursor on the same connection is prepared by psycopg (the connection's
    prepare_threshold, 0 in settings: at once); Django's own cursors never prepare. Wrapped as
    Django wraps its cursors, so query logging and execute wrappers still see it."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    # django-stubs type the argument as Django's wrapper; Django passes the driver's cursor.
    return (connection.make_debug_cursor(raw)  # type: ignore[arg-type]
            if connection.queries_logged
            else connection.make_cursor(raw))  # type: ignore[arg-type]
