import pytest
from django.test import Client
from django.urls import reverse

from conftest import VALID_CREDIT_CODE
from portlab.accounts.models import Enterprise, EnterpriseAdministrator, Role, User
from portlab.audit.models import AuditEvent

FORM = {
    "name_zh": "深圳市示例食品进出口有限公司", "name_en": "Shenzhen Example Foods",
    "credit_code": VALID_CREDIT_CODE, "customs_code": "4403960001",
    "contact_name": "王芳", "contact_email": "wang.fang@example.com",
    "contact_phone": "+86 755 8888 0000", "username": "wangfang",
    "password": "rice-paddy-2026", "password_again": "rice-paddy-2026",
}


def post(client: Client, **changes):
    return client.post(reverse("register"), {**FORM, **changes})


def test_registration_creates_enterprise_and_its_administrator(db) -> None:
    client = Client(headers={"accept-language": "en"})
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("application_new")
    enterprise = Enterprise.objects.get()
    user = User.objects.get(username="wangfang")
    assert (enterprise.credit_code, enterprise.name_zh, enterprise.customs_code) == (
        VALID_CREDIT_CODE, "深圳市示例食品进出口有限公司", "4403960001")
    assert (enterprise.contact_name, enterprise.contact_email, enterprise.contact_phone) == (
        "王芳", "wang.fang@example.com", "+86 755 8888 0000")
    assert (user.email, user.display_name, user.check_password("rice-paddy-2026")) == (
        "wang.fang@example.com", "王芳", True)
    assert list(user.roles.values_list("role", "enterprise")) == [
        (Role.ENTERPRISE_USER, enterprise.pk)]
    assert EnterpriseAdministrator.objects.filter(user=user, enterprise=enterprise).exists()
    assert AuditEvent.objects.get(action="enterprise_register").after == {
        "credit_code": VALID_CREDIT_CODE, "administrator": "wangfang"}
    assert client.get(reverse("application_new")).status_code == 200  # logged in


def test_bad_credit_code_is_explained_in_chinese(db) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    response = post(client, credit_code="91330100799655058C")
    assert response.status_code == 400
    page = response.content.decode()
    assert "统一社会信用代码“91330100799655058C”无效：校验码为“C”，应为“B”。" in page
    assert 'data-field="credit_code"' in page
    assert 'id="error_credit_code"' in page
    assert (Enterprise.objects.count(), User.objects.count()) == (0, 0)


def test_duplicate_enterprise_is_refused_and_nothing_is_written(db) -> None:
    assert post(Client()).status_code == 302
    response = post(Client(headers={"accept-language": "en"}), username="second")
    assert response.status_code == 400
    page = response.content.decode()
    assert ("This credit code already has an account. Ask that account&#x27;s administrator "
            "to invite you.") in page
    assert "wangfang" not in page
    assert Enterprise.objects.count() == 1
    assert not User.objects.filter(username="second").exists()


def test_duplicate_enterprise_refusal_is_in_chinese(db) -> None:
    assert post(Client()).status_code == 302
    response = post(Client(headers={"accept-language": "zh-hans"}), username="second")
    assert response.status_code == 400
    page = response.content.decode()
    assert "该统一社会信用代码已有账户。请联系该账户的管理员邀请您加入。" in page
    assert not User.objects.filter(username="second").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_zh": " "}, "name_zh", "Give the company name in Chinese."),
        ({"customs_code": "12-34"}, "customs_code", "Customs code must be 10 letters or digits."),
        ({"contact_name": ""}, "contact_name", "Give the name of a contact person."),
        ({"contact_email": "wang@"}, "contact_email", "“wang@” is not a valid email address."),
        ({"contact_phone": "call me"}, "contact_phone", "Phone number “call me” should have"),
        ({"username": "wang fang"}, "username", "Username may contain only letters"),
        ({"password": "short", "password_again": "short"}, "password",
         "This password is too short. It must contain at least 8 characters."),
        ({"password": "password123", "password_again": "password123"}, "password",
         "This password is too common."),
        ({"password_again": "something-else"}, "password", "The two passwords differ."),
    ],
)
def test_bad_registration_input_names_the_field(db, changes, field, message) -> None:
    response = post(Client(headers={"accept-language": "en"}), **changes)
    page = response.content.decode()
    assert response.status_code == 400
    assert f'data-field="{field}"' in page
    assert message in page
    assert (Enterprise.objects.count(), User.objects.count()) == (0, 0)


def test_taken_username_is_refused(staff) -> None:
    response = post(Client(headers={"accept-language": "en"}), username="Clerk",
                    credit_code="91330100799655058B")
    assert response.status_code == 400
    assert "Username “Clerk” is already taken." in response.content.decode()
    assert not Enterprise.objects.filter(credit_code="91330100799655058B").exists()


def test_registrations_are_rate_limited_but_errors_do_not_count(db, settings) -> None:
    settings.PORTLAB_RATE_LIMITS = {"register": (1, 3600)}
    client = Client(headers={"accept-language": "zh-hans"})
    for _attempt in range(3):  # an office's typing mistakes leave its registration quota alone
        assert post(client, credit_code="bad").status_code == 400
    assert post(client).status_code == 302
    client.logout()
    response = post(client, credit_code="91330100799655058B", username="li")
    assert response.status_code == 429
    assert "来自您地址的请求过多，请在" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code="91330100799655058B").exists()
