"""Electronic signatures (issue 11, item 4): review, approval and report issue re-authenticate
the person, record what the signature means, and limit failed attempts per person."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, SIGNED
from portlab.accounts.models import Signature
from portlab.accounts.services import api_token_create
from portlab.accounts.signatures import Credential, TooManyFailures
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.testing import services as testing
from portlab.testing.models import Review, Test
from portlab.testing.results import ResultInput


@pytest.fixture
def resulted_test(staff, assigned_test) -> Test:
    testing.result_enter(actor=staff["analyst"], test=assigned_test,
                         expected_version=assigned_test.version,
                         data=ResultInput(kind="numeric", value="0.041", uncertainty="0.006"))
    return assigned_test


def review(staff, test: Test, credential: Credential) -> Test:
    return testing.test_review(actor=staff["reviewer"], test=test, decision="accept",
                               expected_version=test.version, credential=credential)


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_a_review_records_who_signed_what_and_when(staff, resulted_test) -> None:
    seen = resulted_test.version
    review(staff, resulted_test, SIGNED)
    signature = Signature.objects.get()
    assert (signature.signer, signature.meaning, signature.entity_type, signature.entity_id,
            signature.entity_version, signature.method) == (
        staff["reviewer"], "reviewed", "testing.test", str(resulted_test.pk), seen, "password")
    testing.test_approve(actor=staff["signatory"], test=resulted_test, decision="accept",
                         expected_version=resulted_test.version, credential=SIGNED)
    assert list(Signature.objects.order_by("id").values_list("meaning", flat=True)) == [
        "reviewed", "approved"]


def test_a_wrong_password_signs_nothing(staff, resulted_test) -> None:
    with pytest.raises(PermissionDenied) as caught:
        review(staff, resulted_test, Credential(password="guess"))
    assert (caught.value.field, caught.value.message) == (
        "password", "The password or code is not correct; nothing was signed.")
    resulted_test.refresh_from_db()
    assert resulted_test.status == Test.Status.RESULTED
    assert not Review.objects.exists() and not Signature.objects.exists()


def test_accepting_without_a_password_is_refused(staff, resulted_test) -> None:
    with pytest.raises(ApplicationError) as caught:
        review(staff, resulted_test, Credential())
    assert caught.value.field == "password"
    assert not Signature.objects.exists()


def test_returning_a_result_is_not_a_signature(staff, resulted_test) -> None:
    testing.test_review(actor=staff["reviewer"], test=resulted_test, decision="return",
                        comment="check the dilution", expected_version=resulted_test.version)
    assert resulted_test.status == Test.Status.ASSIGNED
    assert not Signature.objects.exists()


def test_five_failures_lock_signing_even_with_the_right_password(staff, resulted_test) -> None:
    for _attempt in range(5):
        with pytest.raises(PermissionDenied):
            review(staff, resulted_test, Credential(password="guess"))
    with pytest.raises(TooManyFailures):
        review(staff, resulted_test, SIGNED)
    token = api_token_create(user=staff["reviewer"], name="t")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en").post(
        f"/api/v1/tests/{resulted_test.pk}/review",
        {"decision": "accept", "version": resulted_test.version, "password": PASSWORD},
        content_type="application/json")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed signature attempts")
    assert not Signature.objects.exists()


def test_enrolment_shows_the_secret_and_a_first_code_confirms_it(staff, resulted_test) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="reviewer", password=PASSWORD)
    page = client.get("/accounts/authenticator/").content.decode()
    device = TOTPDevice.objects.get(user=staff["reviewer"])
    assert 'id="authenticator-secret"' in page and "<svg" in page
    assert not device.confirmed
    with pytest.raises(ApplicationError, match="no authenticator app enrolled"):
        review(staff, resulted_test, Credential(totp=code_for(device)))
    not_the_code = "000000" if code_for(device) != "000000" else "111111"
    wrong = client.post("/accounts/authenticator/", {"totp": not_the_code}, follow=True)
    assert "That code is not correct" in wrong.content.decode()
    confirmed = client.post("/accounts/authenticator/", {"totp": code_for(device)}, follow=True)
    assert "Your authenticator app is enrolled" in confirmed.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    device.last_t = -1  # a new time step: the code just used for confirmation is spent
    device.save()
    review(staff, resulted_test, Credential(totp=code_for(device)))
    assert Signature.objects.get().method == "totp"


def test_a_lost_phone_is_removed_with_the_password_and_signing_goes_on(staff,
                                                                       resulted_test) -> None:
    """The authenticator page removes an enrolled app after the person re-enters their
    password (a wrong one removes nothing and counts as a failed signature)."""
    from portlab.audit.models import AuditEvent

    reviewer = staff["reviewer"]
    TOTPDevice.objects.create(user=reviewer, name="PortLab", confirmed=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.login(username="reviewer", password=PASSWORD)
    assert "移除身份验证器" in client.get("/accounts/authenticator/").content.decode()
    empty = client.post("/accounts/authenticator/", {"remove": "1", "password": ""}, follow=True)
    assert "请输入密码以移除身份验证器。" in empty.content.decode()
    wrong = client.post("/accounts/authenticator/", {"remove": "1", "password": "not-it"},
                        follow=True)
    assert "密码或验证码不正确" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).count() == 1
    removed = client.post("/accounts/authenticator/", {"remove": "1", "password": PASSWORD},
                          follow=True).content.decode()
    assert "身份验证器已移除" in removed
    assert 'id="authenticator-secret"' in removed  # a new app can be enrolled at once
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()
    event = AuditEvent.objects.get(action="authenticator_remove")
    assert (event.actor_name, event.after) == (reviewer.display_name, {"authenticator": None})
    review(staff, resulted_test, Credential(password=PASSWORD))
    assert Signature.objects.get().method == "password"
