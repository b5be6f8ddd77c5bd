"""The signed trust list: every lab key the network ever certified, with its validity period.

Published at a stable URL; with it, anyone verifies a report offline. JSON document::

    {"version": 1, "issuer": ..., "issued_at": ..., "root_certificate_pem": ...,
     "keys": [{"kid", "lab_code", "lab_name", "not_before", "not_after", "certificate_pem"}],
     "log_key": {"kid", "not_before", "not_after", "certificate_pem"},  (the audit log key)
     "checkpoints": "/audit/checkpoints.json",  (where the signed audit checkpoints are)
     "signature": base64(ES256 r || s by the root key)}

The signature covers the canonical JSON of every field except "signature": keys sorted, no
whitespace (separators "," and ":"), non-ASCII characters kept, encoded as UTF-8. Times are
UTC in the form 2025-01-31T12:00:00Z, kids lowercase hex.

A key declared compromised (`portlab keys-compromise LAB --since DATE`) carries one more entry
field, "compromised_since" (a UTC time, midnight of DATE): reports it signed with an issue date
on or after that day verify as "signature key revoked", earlier ones stay genuine. Entries of
keys never compromised have no such field, so their bytes are unchanged.

A list only proves that its own root signed it. Trust comes from fetching it from the network's
URL over HTTPS or, better, pinning the root certificate fingerprint.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portlab.reports.cose import es256_sign, es256_verify
from portlab.reports.keys import CertifiedKey, key_id, lab_code_of, lab_name_of

FORMAT_VERSION = 1
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_ENTRY_FIELDS = ("kid", "lab_code", "lab_name", "not_before", "not_after", "certificate_pem")
_COMPROMISED_FIELD = "compromised_since"


class TrustListError(ValueError):
    """The trust list is malformed, inconsistent, or its signature or root is not the expected."""


@dataclass(frozen=True)
class TrustedKey:
    kid: bytes
    lab_code: str
    lab_name: str
    not_before: dt.datetime
    not_after: dt.datetime
    certificate: x509.Certificate
    public_key: ec.EllipticCurvePublicKey
    compromised_since: dt.datetime | None = None


@dataclass(frozen=True)
class TrustList:
    """A trust list whose signature and entries have been checked."""

    issuer: str
    issued_at: dt.datetime
    root_certificate: x509.Certificate
    keys: tuple[TrustedKey, ...]
    _by_kid: dict[bytes, TrustedKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_kid", {key.kid: key for key in self.keys})

    def find(self, kid: bytes) -> TrustedKey | None:
        return self._by_kid.get(kid)

    def find_certificate(self, certificate: x509.Certificate) -> TrustedKey | None:
        """The entry holding exactly this certificate (same kid is not enough)."""
        trusted = self.find(key_id(certificate))
        if trusted is None or trusted.certificate != certificate:
            return None
        return trusted


def canonical_json(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def root_fingerprint(certificate: x509.Certificate) -> str:
    """Lowercase hex SHA-256 of the certificate DER, the value to pin."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def _format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(_TIME_FORMAT)


def _parse_time(text: Any) -> dt.datetime:
    if not isinstance(text, str):
        raise TrustListError(f"time must be text, got {text!r}")
    try:
        return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError as error:
        raise TrustListError(f"invalid time {text!r}") from error


def _pem_text(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _entry(certificate: x509.Certificate,
           compromised_since: dt.datetime | None = None) -> dict[str, str]:
    entry = {
        "kid": key_id(certificate).hex(),
        "lab_code": lab_code_of(certificate),
        "lab_name": lab_name_of(certificate),
        "not_before": _format_time(certificate.not_valid_before_utc),
        "not_after": _format_time(certificate.not_valid_after_utc),
        "certificate_pem": _pem_text(certificate),
    }
    if compromised_since is not None:
        entry[_COMPROMISED_FIELD] = _format_time(compromised_since)
    return entry


def trust_list_build(
    *,
    root: CertifiedKey,
    lab_certificates: Iterable[x509.Certificate],
    issued_at: dt.datetime | None = None,
    log_certificate: x509.Certificate | None = None,
    checkpoints_url: str | None = None,
    compromised: Mapping[bytes, dt.datetime] | None = None,
) -> dict[str, Any]:
    """Build and sign the trust list document; retired certificates belong in it too, and
    `compromised` maps the kid of each key declared compromised to the moment from which."""
    compromised = compromised or {}
    unique = {
        certificate.fingerprint(hashes.SHA256()): certificate for certificate in lab_certificates
    }
    entries = []
    for certificate in unique.values():
        _check_issued_by_root(certificate, root.certificate)
        entries.append(_entry(certificate, compromised.get(key_id(certificate))))
    entries.sort(key=lambda entry: (entry["lab_code"], entry["not_before"], entry["kid"]))
    document: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "issuer": root.certificate.subject.rfc4514_string(),
        "issued_at": _format_time(issued_at or dt.datetime.now(dt.UTC)),
        "root_certificate_pem": _pem_text(root.certificate),
        "keys": entries,
    }
    document.update(_audit_log_fields(log_certificate, checkpoints_url, root.certificate))
    signature = es256_sign(root.private_key, canonical_json(document))
    document["signature"] = base64.b64encode(signature).decode("ascii")
    return document


def _audit_log_fields(log_certificate: x509.Certificate | None, checkpoints_url: str | None,
                      root: x509.Certificate) -> dict[str, Any]:
    """The audit log key that signs checkpoints, and where the checkpoints are published."""
    fields: dict[str, Any] = {}
    if log_certificate is not None:
        _check_issued_by_root(log_certificate, root)
        fields["log_key"] = {
            "kid": key_id(log_certificate).hex(),
            "not_before": _format_time(log_certificate.not_valid_before_utc),
            "not_after": _format_time(log_certificate.not_valid_after_utc),
            "certificate_pem": _pem_text(log_certificate),
        }
    if checkpoints_url:
        fields["checkpoints"] = checkpoints_url
    return fields


def trust_list_dumps(document: Mapping[str, Any]) -> str:
    """Readable JSON for publishing; the signature does not depend on this layout."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _check_issued_by_root(certificate: x509.Certificate, root: x509.Certificate) -> None:
    try:
        certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise TrustListError(
            f"certificate {certificate.subject.rfc4514_string()} was not issued by the root"
        ) from error


def _load_certificate(pem: Any) -> x509.Certificate:
    if not isinstance(pem, str):
        raise TrustListError("certificate PEM must be text")
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise TrustListError(f"unreadable certificate: {error}") from error


def _parse_document(document: str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError) as error:
            raise TrustListError(f"trust list is not valid JSON: {error}") from error
    if not isinstance(document, Mapping):
        raise TrustListError("trust list must be a JSON object")
    if document.get("version") != FORMAT_VERSION:
        raise TrustListError(f"unsupported trust list version {document.get('version')!r}")
    if not isinstance(document.get("keys"), list) or not isinstance(document.get("issuer"), str):
        raise TrustListError("trust list needs an issuer and a keys array")
    return dict(document)


def _verify_signature(document: dict[str, Any], root: x509.Certificate) -> None:
    try:
        signature = base64.b64decode(document.get("signature", ""), validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise TrustListError("trust list signature is not base64") from error
    signed = {name: value for name, value in document.items() if name != "signature"}
    public_key = root.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not es256_verify(
        public_key, signature, canonical_json(signed)
    ):
        raise TrustListError("trust list signature does not verify with its root certificate")


def _trusted_key(entry: Any, root: x509.Certificate) -> TrustedKey:
    if not isinstance(entry, Mapping) or any(name not in entry for name in _ENTRY_FIELDS):
        raise TrustListError(f"trust list entry needs the fields {', '.join(_ENTRY_FIELDS)}")
    certificate = _load_certificate(entry["certificate_pem"])
    _check_issued_by_root(certificate, root)
    compromised_since = (_parse_time(entry[_COMPROMISED_FIELD])
                         if _COMPROMISED_FIELD in entry else None)
    # Every listed field must repeat what the root certified, so no reader can be misled.
    if dict(entry) != _entry(certificate, compromised_since):
        raise TrustListError(f"trust list entry {entry['kid']!r} disagrees with its certificate")
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise TrustListError(f"key {entry['kid']} is not an ECDSA P-256 key")
    return TrustedKey(
        kid=bytes.fromhex(entry["kid"]),
        lab_code=entry["lab_code"],
        lab_name=entry["lab_name"],
        not_before=_parse_time(entry["not_before"]),
        not_after=_parse_time(entry["not_after"]),
        certificate=certificate,
        public_key=public_key,
        compromised_since=compromised_since,
    )


def trust_list_load(
    document: str | bytes | Mapping[str, Any], *, pinned_root_fingerprint: str | None = None
) -> TrustList:
    """Verify a trust list (signature, root pin, every entry) and return it ready for lookups."""
    parsed = _parse_document(document)
    root = _load_certificate(parsed.get("root_certificate_pem"))
    if pinned_root_fingerprint is not None and not hmac.compare_digest(
        root_fingerprint(root), pinned_root_fingerprint.lower().replace(":", "")
    ):
        raise TrustListError("trust list root does not match the pinned fingerprint")
    _check_issued_by_root(root, root)
    _verify_signature(parsed, root)
    keys = tuple(_trusted_key(entry, root) for entry in parsed["keys"])
    if len({key.kid for key in keys}) != len(keys):
        raise TrustListError("trust list holds two keys with the same kid")
    return TrustList(
        issuer=parsed["issuer"],
        issued_at=_parse_time(parsed.get("issued_at")),
        root_certificate=root,
        keys=keys,
    )
