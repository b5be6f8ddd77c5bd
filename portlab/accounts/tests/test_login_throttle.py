"""Login throttling: 5 failures lock the account (django-axes); an address is refused only after
100 failures, so an office behind one NAT address keeps working."""

from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role


def attempt(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(db) -> None:
    make_user("analyst", Role.ANALYST, None)
    client = Client(headers={"accept-language": "zh-hans"}, REMOTE_ADDR="10.0.0.5")
    statuses = [attempt(client, "analyst", "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    locked = attempt(client, "analyst", PASSWORD)
    assert locked.status_code == 429
    assert "该账户登录失败次数过多，已锁定 15 分钟" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_accounts_failures_leave_colleagues_at_the_same_address_alone(db) -> None:
    make_user("analyst", Role.ANALYST, None)
    make_user("reviewer", Role.REVIEWER, None)
    office = Client(REMOTE_ADDR="10.0.0.6")
    for _ in range(5):
        attempt(office, "analyst", "wrong")
    colleague = Client(REMOTE_ADDR="10.0.0.6")
    assert attempt(colleague, "reviewer", PASSWORD).status_code == 302


def test_an_address_is_refused_after_its_failure_limit(db, settings) -> None:
    settings.PORTLAB_RATE_LIMITS = {"login": (3, 900)}
    make_user("analyst", Role.ANALYST, None)
    client = Client(headers={"accept-language": "en"}, REMOTE_ADDR="10.0.0.7")
    for number in range(3):
        assert attempt(client, f"nobody{number}", "wrong").status_code == 200
    refused = attempt(client, "analyst", PASSWORD)
    assert refused.status_code == 429
    assert "Too many requests from your address. Try again in" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.0.0.8")
    assert attempt(elsewhere, "analyst", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_accounts_failures(db) -> None:
    make_user("analyst", Role.ANALYST, None)
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(4):
        attempt(client, "analyst", "wrong")
    assert attempt(client, "analyst", PASSWORD).status_code == 302
    client.logout()
    assert [attempt(client, "analyst", "wrong").status_code for _ in range(4)] == [200] * 4
