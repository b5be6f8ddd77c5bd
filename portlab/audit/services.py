"""Writing and checking the hash-chained audit trail."""

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from portlab.audit import chain
from portlab.audit.models import AuditEvent, AuditHead

HEAD_ID = 1


def _locked_head_hash() -> str:
    """The chain's last hash, with its row locked until commit (SQLite: the IMMEDIATE
    transaction already holds the write lock). Plain SQL: this runs for every audited write."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_hash FROM {table} WHERE id = %s{lock}", [HEAD_ID])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    AuditHead.objects.get_or_create(pk=HEAD_ID, defaults={"last_hash": chain.GENESIS})
    return _locked_head_hash()


def _move_head(new_hash: str) -> None:
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_hash = %s WHERE id = %s", [new_hash, HEAD_ID])


def audit_record(
    *,
    actor: Any,
    action: str,
    entity: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    # No savepoint: the event belongs to the caller's transaction and fails with it.
    with transaction.atomic(savepoint=False):
        previous_hash = _locked_head_hash()
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "system",
            action=action,
            entity_type=type(entity).__name__.lower(),
            entity_id=str(entity.pk),
            before=before,
            after=after,
            reason=reason,
            previous_hash=previous_hash,
        )
        event.hash = chain.link_hash(previous_hash, event.content())
        event.save(force_insert=True)
        _move_head(event.hash)
    return event


@dataclass(frozen=True)
class Entry:
    """One event for audit_record_many: the same fields as audit_record's arguments."""

    actor: Any
    action: str
    entity: Any
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


def audit_record_many(entries: list[Entry], batch_size: int = 1000) -> None:
    """Append many events to the chain in the given order, inside the caller's transaction:
    the same events and hashes as one audit_record call each, with the head locked and moved
    once and the rows written by bulk INSERTs."""
    if not entries:
        return
    with transaction.atomic(savepoint=False):
        previous_hash = _locked_head_hash()
        now = timezone.now()
        events = []
        for entry in entries:
            event = AuditEvent(
                at=now,
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
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        _move_head(previous_hash)


def audit_verify(batch_size: int = 5000) -> tuple[int, chain.ChainBreak | None]:
    """Recompute the whole chain; return how many events were checked and the first break."""
    checked = 0

    def rows():
        nonlocal checked
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
            checked += 1
            yield event.id, event.previous_hash, event.hash, event.content()

    broken = chain.verify(rows())
    if broken is None:
        head = AuditHead.objects.filter(pk=HEAD_ID).first()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        if head and last and head.last_hash != last:
            broken = chain.ChainBreak(0, "events were removed from the end of the chain")
    return checked, broken
