"""GB 32100-2015 unified social credit code rules pinned for mutation testing.

Check character (GB 32100-2015): C18 = 31 - MOD(sum of Ci x Wi, 31), where a
result of 31 is written as "0". Characters 3-8 are the administrative division (digits only);
characters 9-17 are the organisation code, which may start with a letter.
"""

import pytest

from portlab.accounts.credit_code import check_character, validate_credit_code


def test_a_check_sum_divisible_by_31_gives_check_character_0() -> None:
    # 9x1 + 1x3 + 4x9 + 4x27 + 0x19 + 3x26 + 0x16 + 0x17 + 7x20 + 1x29 + 5x25 + 2x13 + 6x8
    # + 7x24 + 2x10 + 6x30 + 3x28 = 1054 = 34 x 31, so C18 = 31 - 0 = 31, written "0"
    assert check_character("91440300715267263") == "0"
    assert validate_credit_code("914403007152672630") == "914403007152672630"


def test_the_organisation_code_may_start_with_a_letter() -> None:
    """Character 9 is outside the administrative division, so a letter there is valid."""
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize("prefix", ["9144030019220382", "914403001922038216"])
def test_the_check_character_needs_exactly_17_characters(prefix: str) -> None:
    with pytest.raises(ValueError, match="zip"):
        check_character(prefix)
