"""Base45 against the examples of RFC 9285 (sections 4.3 and 4.4)."""

import pytest

from portlab.reports.cose import BASE45_ALPHABET, CoseError, base45_decode, base45_encode


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
    ],
)
def test_rfc_9285_examples_encode_and_decode(data: bytes, text: str) -> None:
    assert base45_encode(data) == text
    assert base45_decode(text) == data


def test_every_byte_value_round_trips() -> None:
    data = bytes(range(256)) + b"\xff\xff\x00"
    assert base45_decode(base45_encode(data)) == data


def test_alphabet_is_qr_alphanumeric_mode() -> None:
    assert BASE45_ALPHABET == "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def test_triplet_above_65535_is_rejected() -> None:
    # RFC 9285 section 6: "GGW" decodes to 65536, which two bytes cannot hold.
    with pytest.raises(CoseError, match="triplet"):
        base45_decode("GGW")


def test_pair_above_255_is_rejected() -> None:
    with pytest.raises(CoseError, match="triplet"):
        base45_decode("::")


def test_length_one_modulo_three_is_rejected() -> None:
    with pytest.raises(CoseError, match="length"):
        base45_decode("BB8B")


def test_character_outside_alphabet_is_rejected() -> None:
    with pytest.raises(CoseError, match="character 'b'"):
        base45_decode("bb8")
