import pytest

from portlab.intake.validation import (
    IdentifierError,
    validate_declaration_number,
    validate_hs_code,
)


@pytest.mark.parametrize("code", ["1006302000", "0304610000", "9701100000"])
def test_hs_codes_of_ten_digits_pass(code: str) -> None:
    assert validate_hs_code(code) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("100630200", "exactly 10 digits"),
        ("10063020001", "exactly 10 digits"),
        ("1006.30.20", "exactly 10 digits"),
        ("10063020OO", "exactly 10 digits"),
        ("0006302000", "chapter 00 does not exist"),
        ("9806302000", "chapter 98 does not exist"),
    ],
)
def test_malformed_hs_codes_are_refused(code: str, reason: str) -> None:
    with pytest.raises(IdentifierError, match=reason):
        validate_hs_code(code)


def test_declaration_numbers_have_18_digits() -> None:
    assert validate_declaration_number("020220261000123456") == "020220261000123456"
    for bad in ["02022026100012345", "0202202610001234567", "02022026100012345X"]:
        with pytest.raises(IdentifierError, match="exactly 18 digits"):
            validate_declaration_number(bad)
