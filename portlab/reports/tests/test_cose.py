"""COSE_Sign1 ES256, checked against the COSE Working Group's published examples.

Vectors: https://github.com/cose-wg/Examples, files sign1-tests/sign-pass-01.json,
sign1-tests/sign-fail-0{1,2,3,4,6,7}.json and ecdsa-examples/ecdsa-sig-01.json (key "11",
P-256, the same in every file).
"""

import base64
import zlib

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from portlab.reports.cose import (
    COSE_SIGN1_TAG,
    QR_PREFIX,
    CoseError,
    CoseSignatureError,
    base45_encode,
    qr_decode,
    qr_encode,
    sig_structure,
    sign1_create,
    sign1_decode,
    sign1_verify,
)

PLAINTEXT = b"This is the content."
SIGNATURE_PREFIX = "5840EAE868ECC176883766C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E1"
SIGN_PASS_01 = bytes.fromhex(
    "D28441A0A201260442313154546869732069732074686520636F6E74656E742E"
    + SIGNATURE_PREFIX
    + "1A02E5F0344BF2D4EE5C7FD75A68A9F5E0B3CC1F1FC1409C189566586FF9D610"
)
SIGN_PASS_01_TO_BE_SIGNED = bytes.fromhex(
    "846A5369676E617475726531404054546869732069732074686520636F6E74656E742E"
)
ECDSA_SIG_01 = bytes.fromhex(
    "D28445A201260300A10442313154546869732069732074686520636F6E74656E742E"
    + SIGNATURE_PREFIX
    + "72727F48461FABBBA2E343492DDECAC3983686250BC68E9F1A7A07D41225B59F"
)
ECDSA_SIG_01_TO_BE_SIGNED = bytes.fromhex(
    "846A5369676E61747572653145A2012603004054546869732069732074686520636F6E74656E742E"
)
# The "output.cbor" field of each failure file, verbatim.
SIGN_FAIL = {
    "sign-fail-01 wrong CBOR tag": (
        "D903E68443A10126A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766"
        "C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA939295B97C4"
        "BDB847782BFF384C5794",
        CoseError,
    ),
    "sign-fail-02 changed payload": (
        "D28443A10126A10442313154546869732069732074686520636F6E74656E742F5840EAE868ECC176883766C5DC"
        "5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA939295B97C4BDB8"
        "47782BFF384C5794",
        CoseSignatureError,
    ),
    "sign-fail-03 alg -999": (
        "D28445A1013903E6A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766"
        "C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA939295B97C4"
        "BDB847782BFF384C5794",
        CoseError,
    ),
    "sign-fail-04 alg unknown": (
        "D2844AA10167756E6B6E6F776EA10442313154546869732069732074686520636F6E74656E742E5840EAE868EC"
        "C176883766C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA9"
        "39295B97C4BDB847782BFF384C5794",
        CoseError,
    ),
    "sign-fail-06 added protected": (
        "D28445A201260300A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766"
        "C5DC5BA5B8DCA25DAB3C2E56A551CE5705B793914348E19F43D6C6BA654472DA301B645B293C9BA939295B97C4"
        "BDB847782BFF384C5794",
        CoseSignatureError,
    ),
    "sign-fail-07 removed protected": (
        "D28443A10126A10442313154546869732069732074686520636F6E74656E742E5840EAE868ECC176883766C5DC"
        "5BA5B8DCA25DAB3C2E56A551CE5705B793914348E172727F48461FABBBA2E343492DDECAC3983686250BC68E9F"
        "1A7A07D41225B59F",
        CoseSignatureError,
    ),
}


def _example_public_key() -> ec.EllipticCurvePublicKey:
    def coordinate(text: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(text + "="), "big")

    return ec.EllipticCurvePublicNumbers(
        coordinate("usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8"),
        coordinate("IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4"),
        ec.SECP256R1(),
    ).public_key()


def test_sign_pass_01_verifies_with_empty_protected_map_signed_as_empty_bstr() -> None:
    message = sign1_decode(SIGN_PASS_01)
    assert message.protected_bytes == b"\xa0"
    assert message.kid == b"11"
    assert sig_structure(b"", message.payload) == SIGN_PASS_01_TO_BE_SIGNED
    assert sign1_verify(message, _example_public_key()) == PLAINTEXT


def test_ecdsa_sig_01_verifies_with_protected_algorithm() -> None:
    message = sign1_decode(ECDSA_SIG_01)
    assert message.protected == {1: -7, 3: 0}
    assert sig_structure(message.protected_bytes, message.payload) == ECDSA_SIG_01_TO_BE_SIGNED
    assert sign1_verify(message, _example_public_key()) == PLAINTEXT


@pytest.mark.parametrize("name", sorted(SIGN_FAIL))
def test_published_failure_vectors_are_rejected(name: str) -> None:
    data, expected_error = SIGN_FAIL[name]
    with pytest.raises(CoseError) as caught:
        sign1_verify(sign1_decode(bytes.fromhex(data)), _example_public_key())
    assert type(caught.value) is expected_error


def test_created_message_has_dcc_layout() -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    kid = bytes.fromhex("0102030405060708")
    data = sign1_create(b"payload", private_key, kid)
    decoded = cbor2.loads(data)
    assert decoded.tag == COSE_SIGN1_TAG
    protected_bytes, unprotected, payload, signature = decoded.value
    assert cbor2.loads(protected_bytes) == {1: -7, 4: kid}
    assert dict(unprotected) == {}
    assert payload == b"payload"
    assert len(signature) == 64
    assert sign1_verify(sign1_decode(data), private_key.public_key()) == b"payload"


def test_tampered_payload_byte_fails() -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    data = bytearray(sign1_create(b"conclusion: conform", private_key, b"k" * 8))
    position = data.index(b"conform")
    data[position] ^= 0x01
    with pytest.raises(CoseSignatureError):
        sign1_verify(sign1_decode(bytes(data)), private_key.public_key())


def test_other_key_fails() -> None:
    signer, other = (ec.generate_private_key(ec.SECP256R1()) for _ in range(2))
    message = sign1_decode(sign1_create(b"payload", signer, b"k" * 8))
    with pytest.raises(CoseSignatureError):
        sign1_verify(message, other.public_key())


def test_truncated_signature_fails() -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    tag = cbor2.loads(sign1_create(b"payload", private_key, b"k" * 8))
    protected_bytes, unprotected, payload, signature = tag.value
    shortened = cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, {}, payload, signature[:63]]))
    with pytest.raises(CoseSignatureError):
        sign1_verify(sign1_decode(shortened), private_key.public_key())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\x00", "not valid CBOR"),
        (cbor2.dumps([b"", {}, b""]), "four elements"),
        (cbor2.dumps([b"", {}, "text", b""]), "must be bytes"),
        (cbor2.dumps([b"", [], b"", b""]), "must be a map"),
        (cbor2.dumps([cbor2.dumps([1]), {}, b"", b""]), "protected header must be a map"),
    ],
)
def test_malformed_structures_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(CoseError, match=message):
        sign1_decode(data)


def test_qr_text_round_trips_and_uses_alphanumeric_characters_only() -> None:
    message = sign1_create(b"x" * 200, ec.generate_private_key(ec.SECP256R1()), b"k" * 8)
    text = qr_encode(message)
    assert text.startswith(QR_PREFIX)
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert qr_decode(text) == message


def test_truncated_qr_text_is_rejected() -> None:
    text = qr_encode(sign1_create(b"payload", ec.generate_private_key(ec.SECP256R1()), b"k" * 8))
    with pytest.raises(CoseError):
        qr_decode(text[:-6])


def test_wrong_prefix_is_rejected() -> None:
    with pytest.raises(CoseError, match="does not start with 'PL1:'"):
        qr_decode("HC1:6BFOXN")


def test_decompression_bomb_is_refused() -> None:
    text = QR_PREFIX + base45_encode(zlib.compress(b"\x00" * 1_000_000))
    with pytest.raises(CoseError, match="too large"):
        qr_decode(text)
