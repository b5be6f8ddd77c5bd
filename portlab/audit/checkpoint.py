"""Signed checkpoints: a Merkle tree head (RFC 6962) over the heads of every audit chain.

A checkpoint commits to each chain's length and last hash at one moment. Whoever kept a copy
can later prove that a chain was edited, shortened or re-hashed, even if every hash in the
database was recomputed consistently. JSON document::

    {"version": 1, "number": 7, "issued_at": "2026-11-25T16:00:00Z", "tree_size": 3,
     "root_hash": hex, "chains": [{"chain": "network", "length": 120, "head": hex}, ...],
     "log_certificate_pem": ..., "signature": base64(ES256 r || s)}

Leaf i of the tree is the canonical JSON of chains[i] (keys sorted, no whitespace, UTF-8);
chains are listed in the order they were opened, so a chain keeps its leaf position. The
signature covers the canonical JSON of every other field. The log certificate must be issued
by the network root and name the audit log as its organisational unit.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID

from portlab.audit.merkle import tree_hash

FORMAT_VERSION = 1
# Never a lab code (lab codes have no spaces), so a lab key can never pass for the log key.
LOG_KEY_UNIT = "network audit log"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class CheckpointError(ValueError):
    """A checkpoint is malformed, or its signature, certificate or tree head does not hold."""


@dataclass(frozen=True)
class ChainHead:
    chain: str
    length: int
    head: str

    def leaf(self) -> bytes:
        return canonical_json({"chain": self.chain, "length": self.length, "head": self.head})


@dataclass(frozen=True)
class VerifiedCheckpoint:
    number: int
    issued_at: dt.datetime
    root_hash: str
    chains: tuple[ChainHead, ...]


def canonical_json(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def tree_head(chains: Sequence[ChainHead]) -> str:
    return tree_hash([head.leaf() for head in chains]).hex()


def _sign(private_key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    r, s = decode_dss_signature(private_key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _signature_holds(public_key: ec.EllipticCurvePublicKey, signature: bytes,
                     message: bytes) -> bool:
    if len(signature) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def checkpoint_build(*, number: int, issued_at: dt.datetime, chains: Sequence[ChainHead],
                     private_key: ec.EllipticCurvePrivateKey,
                     certificate: x509.Certificate) -> dict[str, Any]:
    """The signed checkpoint document over these chain heads."""
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "number": number,
        "issued_at": issued_at.astimezone(dt.UTC).strftime(TIME_FORMAT),
        "tree_size": len(chains),
        "root_hash": tree_head(chains),
        "chains": [{"chain": c.chain, "length": c.length, "head": c.head} for c in chains],
        "log_certificate_pem": certificate.public_bytes(serialization.Encoding.PEM).decode(),
    }
    document["signature"] = base64.b64encode(
        _sign(private_key, canonical_json(document))).decode("ascii")
    return document


def _chain_heads(entries: Any) -> tuple[ChainHead, ...]:
    try:
        return tuple(ChainHead(str(e["chain"]), int(e["length"]), str(e["head"]))
                     for e in entries)
    except (TypeError, KeyError, ValueError) as error:
        raise CheckpointError(f"unreadable chain list: {error}") from error


def _log_certificate(document: Mapping[str, Any], root: x509.Certificate) -> x509.Certificate:
    try:
        certificate = x509.load_pem_x509_certificate(document["log_certificate_pem"].encode())
        certificate.verify_directly_issued_by(root)
    except (KeyError, AttributeError, ValueError, TypeError, InvalidSignature) as error:
        raise CheckpointError("the log certificate was not issued by the network root") \
            from error
    units = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    if [unit.value for unit in units] != [LOG_KEY_UNIT]:
        raise CheckpointError("the signing certificate is not the network's audit log key")
    return certificate


def _parse(text: str | bytes) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise CheckpointError(f"checkpoint is not valid JSON: {error}") from error
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise CheckpointError("checkpoint is not a version 1 checkpoint object")
    return document


def checkpoint_verify(text: str | bytes, *, root: x509.Certificate) -> VerifiedCheckpoint:
    """Check a published checkpoint: certificate, signature and tree head."""
    document = _parse(text)
    certificate = _log_certificate(document, root)
    try:
        signature = base64.b64decode(document.get("signature", ""), validate=True)
        issued_at = dt.datetime.strptime(document["issued_at"], TIME_FORMAT).replace(
            tzinfo=dt.UTC)
    except (binascii.Error, TypeError, ValueError, KeyError) as error:
        raise CheckpointError(f"unreadable signature or time: {error}") from error
    signed = {name: value for name, value in document.items() if name != "signature"}
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not _signature_holds(
            public_key, signature, canonical_json(signed)):
        raise CheckpointError("the signature does not verify with the log certificate")
    if not certificate.not_valid_before_utc <= issued_at <= certificate.not_valid_after_utc:
        raise CheckpointError("the log certificate was not valid when the checkpoint was made")
    chains = _chain_heads(document.get("chains"))
    if document.get("tree_size") != len(chains) or document.get("root_hash") != tree_head(chains):
        raise CheckpointError("the tree head does not match the chain heads listed")
    return VerifiedCheckpoint(int(document["number"]), issued_at, document["root_hash"], chains)
