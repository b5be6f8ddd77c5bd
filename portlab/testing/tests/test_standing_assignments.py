"""Standing assignments: the capability's standing analyst takes its tests on receipt; one who
may not (no valid authorization, another lab's) is refused when named and skipped at receipt."""

import datetime as dt

import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import Capability
from portlab.quality.models import Authorization
from portlab.testing.models import StandingAssignment, Test
from portlab.testing.reception import sample_receive
from portlab.testing.standing import standing_assignment_set

RULE = "standing assignment TJ-TC PB GB 5009.12-2023 GFAAS → analyst"


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def capability(lab, lead) -> Capability:
    return Capability.objects.get(lab=lab, test_item=lead)


def test_the_standing_analyst_takes_the_test_on_receipt(staff, application, capability) -> None:
    standing_assignment_set(actor=staff["manager"], capability=capability,
                            analyst=staff["analyst"])
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    assert (test.status, test.analyst) == (Test.Status.ASSIGNED, staff["analyst"])
    event = AuditEvent.objects.get(action="test_assign", entity_id=str(test.pk))
    assert event.actor == staff["clerk"]
    assert event.after == {"status": "assigned", "analyst": "analyst", "standing_rule": RULE}
    application.refresh_from_db()
    assert application.status == "in_testing"


def test_without_a_standing_analyst_the_test_waits(staff, application) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    assert (test.status, test.analyst) == (Test.Status.PENDING, None)


def test_an_analyst_without_authorization_is_refused_when_named(staff, lab, capability) -> None:
    newcomer = make_user("newcomer", Role.ANALYST, lab)
    with pytest.raises(ApplicationError, match="newcomer holds no valid authorization for "
                       "“Testing” on Lead") as refused:
        standing_assignment_set(actor=staff["manager"], capability=capability,
                                analyst=newcomer)
    assert refused.value.field == "analyst"
    assert not StandingAssignment.objects.exists()


def test_another_labs_analyst_is_refused(staff, other_lab, capability) -> None:
    stranger = make_user("stranger", Role.ANALYST, other_lab)
    with pytest.raises(ApplicationError,
                       match="stranger is not an analyst at Tianjin Customs") as refused:
        standing_assignment_set(actor=staff["manager"], capability=capability,
                                analyst=stranger)
    assert refused.value.field == "analyst"
    assert not StandingAssignment.objects.exists()


def test_only_the_lab_manager_names_the_standing_analyst(staff, capability) -> None:
    with pytest.raises(PermissionDenied):
        standing_assignment_set(actor=staff["clerk"], capability=capability,
                                analyst=staff["analyst"])
    assert not StandingAssignment.objects.exists()


def test_an_expired_authorization_leaves_the_test_waiting_with_the_reason(
        staff, application, capability) -> None:
    standing_assignment_set(actor=staff["manager"], capability=capability,
                            analyst=staff["analyst"])
    Authorization.objects.filter(user=staff["analyst"]).update(valid_to=dt.date(2021, 1, 1))
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    assert (test.status, test.analyst) == (Test.Status.PENDING, None)
    skipped = AuditEvent.objects.get(action="standing_assignment_skip", entity_id=str(test.pk))
    assert skipped.after == {"standing_rule": RULE}
    assert skipped.reason.startswith("analyst holds no valid authorization for “Testing”")
    page = login(staff["manager"]).get("/testing/assignment/").content.decode()
    assert ("The standing assignment of Lead (GB 5009.12-2023 GFAAS) to analyst is not "
            "applied: its new tests wait here. analyst holds no valid authorization") in page


def test_the_page_names_and_ends_the_standing_analyst(staff, capability) -> None:
    client = login(staff["manager"])
    page = client.get("/testing/assignment/standing/").content.decode()
    assert f'<option value="{staff["analyst"].pk}">analyst</option>' in page
    response = client.post("/testing/assignment/standing/", {
        "capability": capability.pk, "analyst": staff["analyst"].pk}, follow=True)
    assert "Lead (GB 5009.12-2023 GFAAS): new tests go to analyst on receipt." in (
        response.content.decode())
    assert StandingAssignment.objects.get().analyst == staff["analyst"]
    client.post("/testing/assignment/standing/", {"capability": capability.pk, "analyst": ""})
    assert not StandingAssignment.objects.exists()


def test_an_unknown_analyst_is_named_in_the_users_language(staff, capability) -> None:
    standing_assignment_set(actor=staff["manager"], capability=capability,
                            analyst=staff["analyst"])
    response = login(staff["manager"], "zh-hans").post("/testing/assignment/standing/", {
        "capability": capability.pk, "analyst": "9999x"}, follow=True)
    assert "铅（GB 5009.12-2023 GFAAS）：检测员：“9999x”不是 PortLab 的用户。" in (
        response.content.decode())
    assert StandingAssignment.objects.get().analyst == staff["analyst"]


def test_another_labs_capability_is_not_found(staff, other_lab, lead) -> None:
    far = Capability.objects.create(
        lab=other_lab, test_item=lead, method=Capability.objects.get(test_item=lead).method,
        unit="mg/kg", price=100, turnaround_days=5, daily_capacity=10)
    response = login(staff["manager"]).post("/testing/assignment/standing/", {
        "capability": far.pk, "analyst": staff["analyst"].pk})
    assert response.status_code == 404
    assert not StandingAssignment.objects.exists()


def test_receive_all_tells_the_clerk_which_tests_went_to_the_standing_analyst(
        staff, application, capability) -> None:
    standing_assignment_set(actor=staff["manager"], capability=capability,
                            analyst=staff["analyst"])
    response = login(staff["clerk"], "zh-hans").post(
        f"/intake/applications/{application.number}/receive-all/", follow=True)
    assert "收样时已有 1 项检测任务交给固定检测员。" in response.content.decode()
    assert Test.objects.get().analyst == staff["analyst"]
