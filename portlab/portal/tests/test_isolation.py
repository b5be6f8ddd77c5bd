"""Every page added for enterprises answers 404 to another enterprise's user."""

import pytest
from django.urls import reverse

from portlab.portal.tests.conftest import client_for

PAGES = ["application_detail", "application_receipt", "application_labels"]


@pytest.mark.parametrize("page", PAGES)
def test_other_enterprise_gets_not_found(staff, application, other_customer, page) -> None:
    url = reverse(page, args=[application.number])
    assert client_for(other_customer).get(url).status_code == 404
    assert client_for(staff["customer"]).get(url).status_code == 200
    assert client_for(staff["clerk"]).get(url).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_pages_need_a_login(application, page) -> None:
    from django.test import Client

    response = Client().get(reverse(page, args=[application.number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_other_enterprise_cannot_invite_into_this_one(staff, enterprise, other_customer) -> None:
    from portlab.accounts.models import EnterpriseAdministrator

    EnterpriseAdministrator.objects.create(user=other_customer, enterprise=enterprise.__class__
                                           .objects.exclude(pk=enterprise.pk).get(),
                                           granted_at="2026-01-01T00:00:00Z")
    client = client_for(other_customer)
    assert client.get(reverse("team")).status_code == 200
    response = client.post(reverse("invite"), {"enterprise": enterprise.pk,
                                               "email": "spy@example.com"})
    assert response.status_code == 404
