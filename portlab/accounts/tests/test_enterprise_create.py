import pytest
from django.utils import translation

from portlab.accounts.models import Enterprise, User
from portlab.accounts.services import enterprise_create
from portlab.core.errors import ApplicationError


@pytest.fixture
def actor(db) -> User:
    return User.objects.create(username="setup")


def test_enterprise_is_registered_with_a_valid_code(actor: User) -> None:
    enterprise = enterprise_create(actor=actor, credit_code="91330100799655058B",
                                   name_zh="阿里巴巴(中国)有限公司", customs_code="3301960001")
    assert Enterprise.objects.get().credit_code == "91330100799655058B"
    assert enterprise.credit_grade == Enterprise.CreditGrade.GENERAL


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91330100799655058C", "check character is “C”, expected “B”"),
        ("9133010079965505", "must be 18 characters, got 16"),
        ("91330100799655058b", "letters must be capitals"),
        ("913301007996550O8B", "character 16 “O” is not allowed"),
    ],
)
def test_bad_credit_code_names_the_field_and_reason(actor: User, code: str, message: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        enterprise_create(actor=actor, credit_code=code, name_zh="某公司")
    assert caught.value.field == "credit_code"
    assert message in caught.value.message
    assert Enterprise.objects.count() == 0


def test_credit_code_error_in_chinese(actor: User) -> None:
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        enterprise_create(actor=actor, credit_code="91330100799655058C", name_zh="某公司")
    assert caught.value.message == (
        "统一社会信用代码“91330100799655058C”无效：校验码为“C”，应为“B”。"
    )


def test_duplicate_and_bad_customs_code_are_refused(actor: User) -> None:
    enterprise_create(actor=actor, credit_code="91330100799655058B", name_zh="阿里巴巴")
    with pytest.raises(ApplicationError, match="already registered"):
        enterprise_create(actor=actor, credit_code="91330100799655058B", name_zh="重复")
    with pytest.raises(ApplicationError) as caught:
        enterprise_create(actor=actor, credit_code="914403001922038216", name_zh="华为",
                          customs_code="12-34")
    assert caught.value.field == "customs_code"
    assert Enterprise.objects.count() == 1
