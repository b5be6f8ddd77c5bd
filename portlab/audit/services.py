"""Writing the hash-chained audit trail: one chain per lab, one for network definitions."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from portlab.audit import chain
from portlab.audit.models import AuditChain, AuditEvent

# Relations through which an audited object reaches the lab whose record it is, tried in
# this order (a result through its test, a calibration through its instrument, a sample
# through its application, a PT result through its participant, a QC result through its run).
_PARENT_RELATIONS = ("test", "instrument", "application", "participant", "run")
_MAX_DEPTH = 3


def chain_key_of(entity: Any) -> str:
    """The chain an audited write on this object belongs to: its lab's, or the network's for
    network-wide definitions (catalog, standards, specifications, enterprises, users, risk)."""
    lab_id = _lab_id_of(entity, _MAX_DEPTH)
    return chain.NETWORK_CHAIN if lab_id is None else chain.lab_chain_key(lab_id)


def _lab_id_of(entity: Any, depth: int) -> int | None:
    if entity._meta.label == "network.Lab":
        return entity.pk
    for field in ("lab_id", "from_lab_id"):  # a transfer is recorded by the lab sending it
        lab_id = getattr(entity, field, None)
        if lab_id is not None:
            return lab_id
    if depth == 0:
        return None
    for relation in _PARENT_RELATIONS:
        parent = getattr(entity, relation, None)
        if parent is not None and hasattr(parent, "_meta"):
            return _lab_id_of(parent, depth - 1)
    return None


@dataclass(frozen=True)
class _Head:
    chain_id: int
    length: int
    last_hash: str


def _locked_head(chain_key: str) -> _Head:
    """The chain's head, with its row locked until commit (SQLite: the IMMEDIATE transaction
    already holds the write lock). Plain SQL: this runs for every audited write."""
    db = transaction.get_connection()
    with db.cursor() as cursor:
        cursor.execute(_event_statements(db)[2], [chain_key])
        row = cursor.fetchone()
    if row is not None:
        return _Head(*row)
    # A lab's first audited write opens its chain; ignore_conflicts (INSERT ... ON CONFLICT
    # DO NOTHING) lets two first writers race without aborting either transaction.
    lab_id = None if chain_key == chain.NETWORK_CHAIN else int(chain_key.split(":")[1])
    AuditChain.objects.bulk_create([AuditChain(key=chain_key, lab_id=lab_id, length=0,
                                               last_hash=chain.genesis(chain_key))],
                                   ignore_conflicts=True)
    return _locked_head(chain_key)


def _move_head(head: _Head, length: int, last_hash: str) -> None:
    db = transaction.get_connection()
    with db.cursor() as cursor:
        cursor.execute(_event_statements(db)[1], [length, last_hash, head.chain_id])


@dataclass(frozen=True)
class Entry:
    """One event for audit_record_many: the same fields as audit_record's arguments."""

    actor: Any
    action: str
    entity: Any
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


def _chained_events(head: _Head, entries: list[Entry], at) -> list[AuditEvent]:
    previous_hash, events = head.last_hash, []
    for offset, entry in enumerate(entries, start=1):
        event = AuditEvent(
            chain_id=head.chain_id,
            sequence=head.length + offset,
            at=at,
            actor=entry.actor if getattr(entry.actor, "pk", None) else None,
            actor_name=getattr(entry.actor, "username", "") or "system",
            action=entry.action,
            entity_type=type(entry.entity).__name__.lower(),
            entity_id=str(entry.entity.pk),
            before=entry.before,
            after=entry.after,
            reason=entry.reason,
            previous_hash=previous_hash,
        )
        event.hash = previous_hash = chain.link_hash(previous_hash, event.content())
        events.append(event)
    return events


def audit_record(
    *,
    actor: Any,
    action: str,
    entity: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain of the entity's lab, inside the caller's transaction."""
    # No savepoint: the event belongs to the caller's transaction and fails with it.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain_key_of(entity))
        entry = Entry(actor, action, entity, before, after, reason)
        [event] = _chained_events(head, [entry], timezone.now())
        _insert_and_move_head(event)
    return event


_COLUMNS = ("chain_id", "sequence", "at", "actor_id", "actor_name", "action", "entity_type",
            "entity_id", "before", "after", "reason", "previous_hash", "hash")
_statements: dict[str, tuple[str, str, str]] = {}


def _event_statements(db) -> tuple[str, str, str]:
    """(insert the event, move the chain's head, lock the head), built once per vendor."""
    if db.vendor not in _statements:
        quote = db.ops.quote_name
        columns = ", ".join(quote(column) for column in _COLUMNS)
        insert = (f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "
                  f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) RETURNING id")
        chains = quote(AuditChain._meta.db_table)
        move = f"UPDATE {chains} SET length = %s, last_hash = %s WHERE id = %s"
        lock = " FOR UPDATE" if db.features.has_select_for_update else ""
        head = f"SELECT id, length, last_hash FROM {chains} WHERE key = %s{lock}"
        _statements[db.vendor] = insert, move, head
    return _statements[db.vendor]


def _column_values(db, event: AuditEvent) -> list:
    values = [getattr(event, column) for column in _COLUMNS]
    values[2] = db.ops.adapt_datetimefield_value(event.at)
    for index in (8, 9):  # before, after: SQL NULL for None, as the ORM writes it
        if values[index] is not None:
            values[index] = db.ops.adapt_json_value(values[index], None)
    return values


def _insert_and_move_head(event: AuditEvent) -> None:
    """Write the event and move its chain's head: the same rows as event.save() plus
    _move_head, in plain SQL because this runs for every audited write. On PostgreSQL both
    go in one statement (a data-modifying WITH), saving a round trip while the lock is held."""
    db = transaction.get_connection()  # once: each `connection.x` is a context-local lookup
    insert, move, _head = _event_statements(db)
    head_values = [event.sequence, event.hash, event.chain_id]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(f"WITH moved AS ({move}) {insert}",
                           head_values + _column_values(db, event))
            event.id = cursor.fetchone()[0]
            return
        cursor.execute(insert, _column_values(db, event))
        event.id = cursor.fetchone()[0]
        cursor.execute(move, head_values)


def audit_record_many(entries: list[Entry], batch_size: int = 1000) -> None:
    """Append many events, each to its entity's chain in the given order, inside the caller's
    transaction: the same events and hashes as one audit_record call each, with each chain's
    head locked and moved once and the rows written by bulk INSERTs."""
    by_chain: dict[str, list[Entry]] = {}
    for entry in entries:
        by_chain.setdefault(chain_key_of(entry.entity), []).append(entry)
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        for chain_key in sorted(by_chain):  # one lock order, so two writers never deadlock
            head = _locked_head(chain_key)
            events = _chained_events(head, by_chain[chain_key], now)
            AuditEvent.objects.bulk_create(events, batch_size=batch_size)
            _move_head(head, events[-1].sequence, events[-1].hash)
