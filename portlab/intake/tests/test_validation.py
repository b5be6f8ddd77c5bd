import pytest

from portlab.intake.validation import IdentifierError, validate_declaration_number


def test_declaration_numbers_have_18_digits() -> None:
    assert validate_declaration_number("020220261000123456") == "020220261000123456"
    for bad in ["02022026100012345", "0202202610001234567", "02022026100012345X"]:
        with pytest.raises(IdentifierError, match="exactly 18 digits"):
            validate_declaration_number(bad)
