"""COSE_Sign1 with ES256 (RFC 9052) and the QR text encoding used by the EU DCC.

QR text = prefix + Base45(zlib(COSE_Sign1)). Base45 (RFC 9285) only uses characters of the
QR alphanumeric mode, so the QR code stays small.

The printed QR code carries the same compressed bytes as a link: Base32 (RFC 4648, no padding)
in the path of an upper-case URL. Base45's space, "%" and "+" must be percent-encoded in a URL,
which pushes the whole code into byte mode; Base32 uses only A-Z and 2-7, so the URL stays in
alphanumeric mode (5.5 bits per character) and the code about half the area.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

ALGORITHM_ES256 = -7
HEADER_ALGORITHM = 1
HEADER_KEY_ID = 4
COSE_SIGN1_TAG = 18
QR_PREFIX = "PL1:"
ES256_SIGNATURE_LENGTH = 64
# A report payload is a few hundred bytes; refuse to inflate anything far larger.
MAX_DECOMPRESSED_LENGTH = 16 * 1024

BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_VALUES = {character: value for value, character in enumerate(BASE45_ALPHABET)}
_BASE32_TEXT = re.compile(r"[A-Z2-7]+")


class CoseError(ValueError):
    """The input is not a well-formed COSE_Sign1 message (or QR text carrying one)."""


class CoseSignatureError(CoseError):
    """The COSE_Sign1 signature does not verify with the given key."""


def base45_encode(data: bytes) -> str:
    """RFC 9285 section 4: two bytes become three characters, a trailing byte two."""
    characters = []
    for start in range(0, len(data), 2):
        chunk = data[start : start + 2]
        number = int.from_bytes(chunk, "big")
        width = 3 if len(chunk) == 2 else 2
        for _ in range(width):
            number, digit = divmod(number, 45)
            characters.append(BASE45_ALPHABET[digit])
    return "".join(characters)


def base45_decode(text: str) -> bytes:
    """Inverse of base45_encode; raises CoseError on characters or lengths RFC 9285 forbids."""
    if len(text) % 3 == 1:
        raise CoseError("invalid Base45 length")
    output = bytearray()
    for start in range(0, len(text), 3):
        chunk = text[start : start + 3]
        try:
            digits = [_BASE45_VALUES[character] for character in chunk]
        except KeyError as error:
            raise CoseError(f"invalid Base45 character {error.args[0]!r}") from None
        number = sum(digit * 45**position for position, digit in enumerate(digits))
        width = 2 if len(chunk) == 3 else 1
        if number >= 256**width:
            raise CoseError("invalid Base45 triplet")
        output += number.to_bytes(width, "big")
    return bytes(output)


@dataclass(frozen=True)
class Sign1Message:
    """A decoded COSE_Sign1; protected_bytes is kept verbatim because it is signed as is."""

    protected_bytes: bytes
    protected: dict[Any, Any]
    unprotected: dict[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def algorithm(self) -> Any:
        return self.protected.get(HEADER_ALGORITHM, self.unprotected.get(HEADER_ALGORITHM))

    @property
    def kid(self) -> bytes | None:
        # The EU DCC allows the kid in either bucket; the protected one wins.
        kid = self.protected.get(HEADER_KEY_ID, self.unprotected.get(HEADER_KEY_ID))
        return kid if isinstance(kid, bytes) else None


def es256_sign(private_key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    """ECDSA P-256 / SHA-256 signature in the raw r || s form COSE and JOSE use (64 bytes)."""
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def es256_verify(public_key: ec.EllipticCurvePublicKey, signature: bytes, data: bytes) -> bool:
    """True when signature (raw r || s) is a valid ES256 signature of data."""
    if len(signature) != ES256_SIGNATURE_LENGTH:
        return False
    der_signature = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(der_signature, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def sig_structure(protected_bytes: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """RFC 9052 section 4.4 Sig_structure for COSE_Sign1, as canonical CBOR."""
    return cbor2.dumps(["Signature1", protected_bytes, external_aad, payload], canonical=True)


def sign1_create(payload: bytes, private_key: ec.EllipticCurvePrivateKey, kid: bytes) -> bytes:
    """Sign payload as a tagged COSE_Sign1 with ES256 and {1: -7, 4: kid} protected."""
    protected_bytes = cbor2.dumps({HEADER_ALGORITHM: ALGORITHM_ES256, HEADER_KEY_ID: kid})
    signature = es256_sign(private_key, sig_structure(protected_bytes, payload))
    message = [protected_bytes, {}, payload, signature]
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, message), canonical=True)


def sign1_decode(data: bytes) -> Sign1Message:
    """Parse a COSE_Sign1 (tag 18 or untagged) without verifying it."""
    try:
        decoded = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError, TypeError) as error:
        raise CoseError(f"not valid CBOR: {error}") from error
    if isinstance(decoded, cbor2.CBORTag):
        if decoded.tag != COSE_SIGN1_TAG:
            raise CoseError(f"CBOR tag {decoded.tag} is not COSE_Sign1 ({COSE_SIGN1_TAG})")
        decoded = decoded.value
    # cbor2 may hand back tag contents as immutable tuple / frozendict.
    if not (isinstance(decoded, list | tuple) and len(decoded) == 4):
        raise CoseError("COSE_Sign1 must be an array of four elements")
    protected_bytes, unprotected, payload, signature = decoded
    if not all(isinstance(item, bytes) for item in (protected_bytes, payload, signature)):
        raise CoseError("COSE_Sign1 protected header, payload and signature must be bytes")
    if not isinstance(unprotected, Mapping):
        raise CoseError("COSE_Sign1 unprotected header must be a map")
    return Sign1Message(
        protected_bytes=protected_bytes,
        protected=_decode_protected(protected_bytes),
        unprotected=dict(unprotected),
        payload=payload,
        signature=signature,
    )


def _decode_protected(protected_bytes: bytes) -> dict[Any, Any]:
    if not protected_bytes:
        return {}
    try:
        protected = cbor2.loads(protected_bytes)
    except (cbor2.CBORDecodeError, ValueError, TypeError) as error:
        raise CoseError(f"protected header is not valid CBOR: {error}") from error
    if not isinstance(protected, Mapping):
        raise CoseError("protected header must be a map")
    return dict(protected)


def sign1_verify(message: Sign1Message, public_key: ec.EllipticCurvePublicKey) -> bytes:
    """Verify an ES256 COSE_Sign1 and return its payload; raise CoseSignatureError if not."""
    if message.algorithm != ALGORITHM_ES256:
        raise CoseError(f"unsupported COSE algorithm {message.algorithm!r}, expected ES256")
    if not isinstance(public_key.curve, ec.SECP256R1):
        raise CoseError("ES256 needs a P-256 public key")
    # RFC 9052 section 4.4: an empty protected map is signed as a zero-length bstr.
    protected_bytes = message.protected_bytes if message.protected else b""
    signed = sig_structure(protected_bytes, message.payload)
    if not es256_verify(public_key, message.signature, signed):
        raise CoseSignatureError("COSE_Sign1 signature does not verify")
    return message.payload


def qr_encode(cose_message: bytes, prefix: str = QR_PREFIX) -> str:
    """prefix + Base45(zlib(message)), as the EU DCC does with its "HC1:" prefix."""
    return prefix + base45_encode(zlib.compress(cose_message, 9))


def qr_decode(text: str, prefix: str = QR_PREFIX) -> bytes:
    """Inverse of qr_encode; raises CoseError on a wrong prefix, bad Base45 or bad zlib data."""
    if not text.startswith(prefix):
        raise CoseError(f"QR text does not start with {prefix!r}")
    compressed = base45_decode(text[len(prefix) :])
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(compressed, MAX_DECOMPRESSED_LENGTH)
    except zlib.error as error:
        raise CoseError(f"QR text is not valid zlib data: {error}") from error
    if inflater.unconsumed_tail:
        raise CoseError("QR payload is too large")
    if not inflater.eof or inflater.unused_data:
        raise CoseError("QR text is truncated or has trailing data")
    return data


def compact_from_qr_text(qr_text: str, prefix: str = QR_PREFIX) -> str:
    """The QR text's compressed bytes in unpadded upper-case Base32, for a link's path."""
    if not qr_text.startswith(prefix):
        raise CoseError(f"QR text does not start with {prefix!r}")
    compressed = base45_decode(qr_text[len(prefix) :])
    return base64.b32encode(compressed).decode("ascii").rstrip("=")


def qr_text_from_compact(compact: str, prefix: str = QR_PREFIX) -> str:
    """Inverse of compact_from_qr_text: the stored QR text the link was made from.

    Lower case is accepted (a phone may lower-case a typed link); padding is not needed.
    """
    compact = compact.strip().upper()
    if not _BASE32_TEXT.fullmatch(compact) or len(compact) % 8 in (1, 3, 6):
        raise CoseError("link payload is not unpadded Base32")
    try:
        compressed = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except (binascii.Error, ValueError) as error:
        raise CoseError(f"link payload is not Base32: {error}") from error
    return prefix + base45_encode(compressed)
