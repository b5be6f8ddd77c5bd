"""Fixtures for the enterprise self-service: a second enterprise, and logged-in clients."""

import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import enterprise_create

OTHER_CREDIT_CODE = "91330100799655058B"  # Alibaba (China) Co., Ltd. (public record)


@pytest.fixture
def other_enterprise(db) -> Enterprise:
    setup = User.objects.create(username="setup-other")
    return enterprise_create(actor=setup, credit_code=OTHER_CREDIT_CODE,
                             name_zh="阿里巴巴(中国)有限公司", name_en="Alibaba China")


@pytest.fixture
def other_customer(other_enterprise) -> User:
    return make_user("other-customer", Role.ENTERPRISE_USER, other_enterprise)


def client_for(user: User, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client

