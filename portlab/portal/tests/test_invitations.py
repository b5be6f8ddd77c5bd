import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portlab.accounts.models import Role, User
from portlab.accounts.services import enterprise_register
from portlab.portal.tests.conftest import client_for

ADMIN_PASSWORD = "rice-paddy-2026"


@pytest.fixture
def admin(enterprise) -> User:
    return enterprise_register(
        credit_code="91110108551385082Q", name_zh="北京示例粮油有限公司",
        name_en="Beijing Example Grain & Oil",
        contact_name="李明", contact_email="li.ming@example.com", contact_phone="0571-8502 2088",
        username="liming", password=ADMIN_PASSWORD)


def admin_client(admin: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    assert client.login(username=admin.username, password=ADMIN_PASSWORD)
    return client


def invite(client: Client, admin: User, email: str, django_capture_on_commit_callbacks):
    enterprise = admin.administered.get().enterprise
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("invite"), {"enterprise": enterprise.pk, "email": email})


def accept_link(message) -> str:
    line = next(line for line in message.body.splitlines() if "/accounts/invitation/" in line)
    return line.strip().removeprefix("http://testserver")


def test_invited_colleague_chooses_a_login_and_joins(admin, django_capture_on_commit_callbacks):
    client = admin_client(admin)
    response = invite(client, admin, "zhao.lei@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhao.lei@example.com"]
    assert message.subject == ("邀请您加入 PortLab 上的北京示例粮油有限公司 / "
                               "Invitation to Beijing Example Grain & Oil on PortLab")
    link = accept_link(message)
    assert message.body.count(link) == 2  # the Chinese part, then the English part
    guest = Client(headers={"accept-language": "en"})
    page = guest.get(link)
    assert "zhao.lei@example.com" in page.content.decode()
    response = guest.post(link, {"display_name": "赵磊", "username": "zhaolei",
                                 "password": "soy-beans-2026", "password_again": "soy-beans-2026"})
    assert response.status_code == 302
    user = User.objects.get(username="zhaolei")
    enterprise = admin.administered.get().enterprise
    assert (user.email, user.display_name) == ("zhao.lei@example.com", "赵磊")
    assert list(user.roles.values_list("role", "enterprise")) == [
        (Role.ENTERPRISE_USER, enterprise.pk)]
    again = Client(headers={"accept-language": "en"}).post(
        link, {"username": "zhaolei2", "password": "soy-beans-2026",
               "password_again": "soy-beans-2026"})
    assert again.status_code == 400
    assert "This invitation has already been used." in again.content.decode()
    team = client.get(reverse("team")).content.decode()
    assert "zhaolei" in team and "liming" in team


def test_tampered_and_expired_links_are_refused(admin, django_capture_on_commit_callbacks,
                                                monkeypatch) -> None:
    invite(admin_client(admin), admin, "zhao.lei@example.com", django_capture_on_commit_callbacks)
    link = accept_link(mail.outbox[0])
    tampered = Client(headers={"accept-language": "en"}).get(link[:-3] + "xyz/")
    assert tampered.status_code == 400
    assert "This invitation link is not valid." in tampered.content.decode()
    later = time.time() + 8 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    expired = Client(headers={"accept-language": "zh-hans"}).get(link)
    assert expired.status_code == 400
    assert "此邀请已过期，请向管理员索取新的邀请。" in expired.content.decode()


def test_bad_invitation_email_and_existing_member(admin, django_capture_on_commit_callbacks):
    client = admin_client(admin)
    response = invite(client, admin, "not-an-address", django_capture_on_commit_callbacks)
    assert "“not-an-address” is not a valid email address." in client.get(
        response["Location"]).content.decode()
    response = invite(client, admin, "LI.MING@example.com", django_capture_on_commit_callbacks)
    assert "LI.MING@example.com is already a user of this enterprise." in client.get(
        response["Location"]).content.decode()
    assert mail.outbox == []


def test_only_the_enterprise_administrator_invites(admin, staff, other_customer) -> None:
    enterprise = admin.administered.get().enterprise
    for user in (staff["customer"], other_customer, staff["clerk"]):
        client = client_for(user)
        # Lab staff never use the team pages (403); enterprise users who do not administer
        # this enterprise do not see it (404).
        expected = 403 if user == staff["clerk"] else 404
        assert client.get(reverse("team")).status_code == expected
        response = client.post(reverse("invite"), {"enterprise": enterprise.pk,
                                                   "email": "x@example.com"})
        assert response.status_code == expected
    assert mail.outbox == []
