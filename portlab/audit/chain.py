"""Hash chain over audit events: each event's hash covers its content and the previous hash,
so editing, deleting or reordering any stored event breaks every hash after it."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def link_hash(previous_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(content)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify(events: Iterable[tuple[int, str, str, dict[str, Any]]]) -> ChainBreak | None:
    """Check (id, previous_hash, hash, content) tuples in id order; return the first break."""
    expected_previous = GENESIS
    for event_id, previous_hash, stored_hash, content in events:
        if previous_hash != expected_previous:
            return ChainBreak(event_id, "previous hash does not match the event before it")
        if link_hash(previous_hash, content) != stored_hash:
            return ChainBreak(event_id, "content does not match its hash")
        expected_previous = stored_hash
    return None
