"""A registered enterprise may file at once but stays unverified until its business licence is
checked by a customs credit officer or an administrator."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD, VALID_CREDIT_CODE, make_user
from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.verification import enterprise_verify
from portlab.audit.models import AuditEvent
from portlab.core.errors import ConflictError, PermissionDenied
from portlab.intake.models import Application


@pytest.fixture
def credit_officer(db) -> User:
    return make_user("credit", Role.CREDIT_OFFICER, None)


def verify_url(credit_code: str = VALID_CREDIT_CODE) -> str:
    return f"/api/v1/enterprises/{credit_code}/verify"


def post_verify(user: User, credit_code: str = VALID_CREDIT_CODE, **body):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client.post(verify_url(credit_code), json.dumps(body),
                       content_type="application/json")


def test_new_enterprise_starts_unverified(enterprise: Enterprise) -> None:
    assert (enterprise.verified_at, enterprise.verified_by, enterprise.is_verified) == (
        None, None, False)


def test_credit_officer_verifies_and_it_is_audited(enterprise, credit_officer) -> None:
    response = post_verify(credit_officer, note="Licence checked on the SAMR public register")
    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert enterprise.verified_by == credit_officer
    assert response.json()["verified_at"] is not None
    assert timezone.localdate(enterprise.verified_at) == timezone.localdate()
    event = AuditEvent.objects.get(action="enterprise_verify")
    assert (event.actor_name, event.after, event.reason) == (
        "credit", {"credit_code": VALID_CREDIT_CODE},
        "Licence checked on the SAMR public register")


def test_administrator_may_verify(enterprise, staff) -> None:
    assert enterprise_verify(actor=staff["admin"], enterprise=enterprise).verified_by == \
        staff["admin"]


def test_verifying_twice_is_refused_and_changes_nothing(enterprise, credit_officer) -> None:
    first = enterprise_verify(actor=credit_officer, enterprise=enterprise).verified_at
    other_officer = make_user("credit2", Role.CREDIT_OFFICER, None)
    with pytest.raises(ConflictError) as caught:
        enterprise_verify(actor=other_officer, enterprise=enterprise)
    assert caught.value.message == (f"Huawei Technologies was already verified on "
                                    f"{timezone.localdate(first).isoformat()}.")
    enterprise.refresh_from_db()
    assert (enterprise.verified_at, enterprise.verified_by) == (first, credit_officer)
    assert AuditEvent.objects.filter(action="enterprise_verify").count() == 1


def test_clerk_may_not_verify(enterprise, staff) -> None:
    with pytest.raises(PermissionDenied) as caught:
        enterprise_verify(actor=staff["clerk"], enterprise=enterprise)
    assert caught.value.message == (
        "You need the role “Customs credit officer / Administrator” for this.")
    response = post_verify(staff["clerk"])
    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.verified_at is None
    assert not AuditEvent.objects.filter(action="enterprise_verify").exists()


def test_enterprise_may_not_verify_itself(enterprise, staff) -> None:
    assert post_verify(staff["customer"]).status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.verified_at is None


def test_unknown_credit_code_is_not_found(credit_officer) -> None:
    response = post_verify(credit_officer, credit_code="91330100799655058B")
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "No enterprise has the credit code “91330100799655058B”.")


def test_twice_refusal_in_chinese(enterprise, credit_officer) -> None:
    enterprise_verify(actor=credit_officer, enterprise=enterprise)
    with translation.override("zh-hans"), pytest.raises(ConflictError) as caught:
        enterprise_verify(actor=credit_officer, enterprise=enterprise)
    assert caught.value.message.startswith("华为技术有限公司已于")


def lab_page(user: User, application: Application) -> str:
    client = Client(headers={"accept-language": "en"})
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("application_detail", args=[application.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_unverified_enterprise_may_file_and_lab_staff_see_it(application, staff,
                                                             credit_officer) -> None:
    assert application.enterprise.is_verified is False  # filed while unverified
    assert 'id="enterprise_unverified"' in lab_page(staff["clerk"], application)
    assert "Unverified" not in lab_page(staff["customer"], application)
    enterprise_verify(actor=credit_officer, enterprise=application.enterprise)
    assert 'id="enterprise_unverified"' not in lab_page(staff["clerk"], application)
