import pytest

from portlab.accounts.credit_code import CreditCodeError, check_character, validate_credit_code

# Codes published on the National Enterprise Credit Information Publicity System
# (国家企业信用信息公示系统): Huawei Technologies, Tencent Technology (Shenzhen), Alibaba (China).
PUBLISHED = ["914403001922038216", "9144030071526726XG", "91330100799655058B"]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert validate_credit_code(code) == code


def test_check_character_is_computed_modulo_31() -> None:
    assert check_character("9144030071526726X") == "G"
    assert check_character("91440300192203821") == "6"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("914403001922038217", "check character is “7”, expected “6”"),
        ("91440300192203821", "must be 18 characters, got 17"),
        ("9144030071526726xg", "letters must be capitals"),
        ("9144030071526726IG", "character 17 “I” is not allowed (I, O, S, V, Z never appear)"),
        ("91A403001922038216", "characters 3-8 (administrative division) must be digits"),
    ],
)
def test_invalid_codes_say_why(code: str, reason: str) -> None:
    with pytest.raises(CreditCodeError) as caught:
        validate_credit_code(code)
    assert str(caught.value) == reason
