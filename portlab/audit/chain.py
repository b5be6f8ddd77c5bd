"""Hash chains over audit events: each event's hash covers its content and the previous hash,
so editing, deleting or reordering any stored event breaks every hash after it.

There is one chain per lab and one for network-wide definitions. Each chain starts from its
own genesis value, so an event cannot be moved from one chain to another unnoticed. The
network chain starts from 64 zeros: the single chain PortLab kept before per-lab chains
became the network chain unchanged, and its stored hashes still verify.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
NETWORK_CHAIN = "network"


def lab_chain_key(lab_id: int) -> str:
    return f"lab:{lab_id}"


def genesis(chain_key: str) -> str:
    """The 'previous hash' of a chain's first event."""
    if chain_key == NETWORK_CHAIN:
        return GENESIS
    return hashlib.sha256(f"portlab audit chain {chain_key}".encode()).hexdigest()


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
    chain: str = NETWORK_CHAIN


@dataclass(frozen=True)
class Link:
    """One stored event as the verifier reads it."""

    event_id: int
    sequence: int
    previous_hash: str
    hash: str
    content: dict[str, Any]


def verify(chain_key: str, links: Iterable[Link]) -> tuple[int, str, ChainBreak | None]:
    """Check one chain's events in sequence order.

    Returns how many events were read, the last good hash and the first break, if any.
    """
    expected_previous, expected_sequence = genesis(chain_key), 1
    for link in links:
        if link.sequence != expected_sequence:
            return expected_sequence - 1, expected_previous, ChainBreak(
                link.event_id, f"event {expected_sequence} of the chain is missing", chain_key)
        if link.previous_hash != expected_previous:
            return expected_sequence - 1, expected_previous, ChainBreak(
                link.event_id, "previous hash does not match the event before it", chain_key)
        if link_hash(link.previous_hash, link.content) != link.hash:
            return expected_sequence - 1, expected_previous, ChainBreak(
                link.event_id, "content does not match its hash", chain_key)
        expected_previous, expected_sequence = link.hash, expected_sequence + 1
    return expected_sequence - 1, expected_previous, None
