"""Granting, correcting and renewing authorizations on screen, never by the holder (#12 item 5)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import Capability
from portlab.quality.models import Authorization, Duty
from portlab.quality.services import authorization_grant, authorization_renew, authorization_update


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _grant(quality_manager, staff, lab, valid_from: str, valid_to: str) -> Authorization:
    return authorization_grant(actor=quality_manager, user=staff["analyst"], lab=lab,
                               duty=Duty.TESTING,
                               capability=Capability.objects.get(lab=lab, test_item__code="PB"),
                               valid_from=valid_from, valid_to=valid_to)


def test_the_page_grants_an_authorization(staff, lab, lead, quality_manager) -> None:
    before = Authorization.objects.count()
    capability = Capability.objects.get(lab=lab, test_item__code="PB")
    response = _client(quality_manager).post("/quality/personnel/grant/", {
        "user": staff["reviewer"].pk, "duty": "review", "capability": capability.pk,
        "valid_from": "2026-01-01", "valid_to": "2027-12-31"})
    assert response.status_code == 302
    granted = Authorization.objects.order_by("-id").first()
    assert Authorization.objects.count() == before + 1
    assert (granted.user, granted.duty, granted.valid_to, granted.granted_by) == (
        staff["reviewer"], "review", datetime.date(2027, 12, 31), quality_manager)
    assert AuditEvent.objects.filter(action="authorization_grant",
                                     entity_id=str(granted.pk)).count() == 1


def test_self_authorization_is_refused_on_the_page_and_input_kept(staff, lab, lead,
                                                                  quality_manager) -> None:
    before = Authorization.objects.count()
    capability = Capability.objects.get(lab=lab, test_item__code="PB")
    response = _client(quality_manager).post("/quality/personnel/grant/", {
        "user": quality_manager.pk, "duty": "review", "capability": capability.pk,
        "valid_from": "2026-01-01", "valid_to": "2027-12-31"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 422
    assert "任何人都不能为自己授权或续期授权" in body
    assert 'value="2027-12-31"' in body
    assert Authorization.objects.count() == before


def test_renewal_continues_from_the_day_after_the_end(staff, lab, lead, quality_manager):
    old = _grant(quality_manager, staff, lab, "2025-01-01", "2099-06-30")
    renewal = authorization_renew(actor=quality_manager, authorization=old,
                                  valid_to="2101-06-30", expected_version=old.version)
    assert (renewal.valid_from, renewal.valid_to, renewal.renews) == (
        datetime.date(2099, 7, 1), datetime.date(2101, 6, 30), old)
    assert (renewal.user, renewal.duty, renewal.capability_id) == (
        old.user, old.duty, old.capability_id)
    with pytest.raises(ApplicationError) as again:
        authorization_renew(actor=quality_manager, authorization=old, valid_to="2102-01-01")
    assert again.value.message == "This authorization was renewed already."


def test_a_lapsed_authorization_renews_from_today(staff, lab, lead, quality_manager) -> None:
    old = _grant(quality_manager, staff, lab, "2020-01-01", "2021-01-01")
    renewal = authorization_renew(actor=quality_manager, authorization=old,
                                  valid_to="2099-01-01")
    assert renewal.valid_from == timezone.localdate()


def test_the_holder_cannot_renew_their_expired_authorization(staff, lab, lead,
                                                             quality_manager) -> None:
    manager_owned = authorization_grant(
        actor=staff["manager"], user=quality_manager, lab=lab, duty=Duty.REVIEW,
        capability=Capability.objects.get(lab=lab, test_item__code="PB"),
        valid_from="2020-01-01", valid_to="2021-01-01")
    old = _grant(quality_manager, staff, lab, "2020-01-01", "2021-01-01")
    count = Authorization.objects.count()
    with pytest.raises(PermissionDenied) as caught:  # a holder who may grant others
        authorization_renew(actor=quality_manager, authorization=manager_owned,
                            valid_to="2099-01-01")
    assert caught.value.message == ("Nobody grants or renews their own authorization: ask "
                                    "another quality manager of the lab.")
    response = _client(staff["analyst"]).post(f"/quality/personnel/{old.pk}/renew/",
                                              {"valid_to": "2099-01-01", "version": 1})
    assert response.status_code == 403  # an analyst may never grant: the route refuses
    assert Authorization.objects.count() == count


def test_a_correction_is_versioned_and_audited(staff, lab, lead, quality_manager) -> None:
    granted = _grant(quality_manager, staff, lab, "2026-01-01", "2026-12-31")
    response = _client(quality_manager).post(f"/quality/personnel/{granted.pk}/edit/", {
        "valid_from": "2026-01-01", "valid_to": "2027-06-30", "version": granted.version})
    assert response.status_code == 302
    granted.refresh_from_db()
    assert (granted.valid_to, granted.version) == (datetime.date(2027, 6, 30), 2)
    event = AuditEvent.objects.get(action="authorization_update")
    assert (event.before["valid_to"], event.after["valid_to"]) == ("2026-12-31", "2027-06-30")
    with pytest.raises(ApplicationError) as stale:
        authorization_update(actor=quality_manager, authorization=granted,
                             valid_from="2026-01-01", valid_to="2028-01-01", expected_version=1)
    assert stale.value.field == "version"


@pytest.mark.parametrize(("valid_to", "message"), [
    ("2025-12-31", "The authorization would end (2025-12-31) before it starts (2026-01-01)."),
    ("31/12/2027", "Valid to: “31/12/2027” is not a date (YYYY-MM-DD)."),
])
def test_bad_dates_name_the_field_in_words(staff, lab, lead, quality_manager, valid_to,
                                           message) -> None:
    granted = _grant(quality_manager, staff, lab, "2026-01-01", "2026-12-31")
    with pytest.raises(ApplicationError) as caught:
        authorization_update(actor=quality_manager, authorization=granted,
                             valid_from="2026-01-01", valid_to=valid_to, expected_version=1)
    assert (caught.value.field, caught.value.message) == ("valid_to", message)
    granted.refresh_from_db()
    assert (granted.valid_to, granted.version) == (datetime.date(2026, 12, 31), 1)
