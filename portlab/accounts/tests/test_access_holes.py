"""The holes issue 11 found in who-may-do-what, each tried the way an attacker would and shown
closed (the catalog import and standard withdrawal are in network/ and quality/ tests)."""

import json
from datetime import date

import pytest
from django.test import Client

from conftest import make_user
from portlab.accounts.access import ACCESS, may
from portlab.accounts.models import Enterprise, Role, RoleAssignment, User
from portlab.accounts.routes import API, PAGES, unknown_actions
from portlab.accounts.services import role_grant
from portlab.core.errors import PermissionDenied
from portlab.quality.models import Authorization
from portlab.quality.services import authorization_grant
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter

ALIBABA_CREDIT_CODE = "91330100799655058B"  # Alibaba (China) Co., Ltd. (public record)


def client_for(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_every_route_names_an_action_of_the_table() -> None:
    assert unknown_actions() == set()
    assert len(PAGES) + len(API) > 100
    assert "audit.view" in ACCESS


def test_another_labs_audit_trail_is_not_found(staff, assigned_test, other_lab) -> None:
    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.041", unit="mg/kg"))
    url = f"/api/v1/audit/test/{assigned_test.pk}"
    for role in (Role.LAB_MANAGER, Role.QUALITY_MANAGER):
        stranger = make_user(f"other_{role}", role, other_lab)
        response = client_for(stranger).get(url)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
        assert client_for(stranger).get(f"/api/v1/tests/{assigned_test.pk}").status_code == 404
    own_quality = make_user("own_qm", Role.QUALITY_MANAGER, assigned_test.lab)
    events = client_for(own_quality).get(url).json()
    assert [e["action"] for e in events] == ["test_assign", "result_submit"]
    assert events[1]["after"]["result"]["value"] == "0.041"
    assert client_for(staff["analyst"]).get(url).status_code == 403


def test_an_unknown_or_network_wide_audit_entity_is_for_network_roles(staff, lab) -> None:
    own_quality = make_user("own_qm", Role.QUALITY_MANAGER, lab)
    assert client_for(own_quality).get("/api/v1/audit/test/999999").status_code == 404
    assert client_for(own_quality).get("/api/v1/audit/standard/1").status_code == 404
    assert client_for(staff["admin"]).get("/api/v1/audit/standard/1").json() == []


def enterprise_payload(grade: str) -> str:
    return json.dumps({"credit_code": ALIBABA_CREDIT_CODE, "name_zh": "阿里巴巴(中国)有限公司",
                       "credit_grade": grade})


def test_a_reception_clerk_cannot_grade_an_enterprise(staff) -> None:
    response = client_for(staff["clerk"]).post("/api/v1/enterprises", enterprise_payload(
        "advanced"), content_type="application/json")
    assert (response.status_code, response.json()) == (403, {
        "detail": "Only a customs credit officer sets an enterprise's credit grade.",
        "field": "credit_grade"})
    assert not Enterprise.objects.filter(credit_code=ALIBABA_CREDIT_CODE).exists()
    response = client_for(staff["clerk"]).post("/api/v1/enterprises", enterprise_payload(
        "general"), content_type="application/json")
    assert (response.status_code, response.json()["credit_grade"]) == (201, "general")


def test_a_credit_officer_grades_enterprises(db) -> None:
    officer = make_user("credit", Role.CREDIT_OFFICER, None)
    response = client_for(officer).post("/api/v1/enterprises", enterprise_payload("advanced"),
                                        content_type="application/json")
    assert (response.status_code, response.json()["credit_grade"]) == (201, "advanced")


def test_a_lab_manager_cannot_authorize_themselves(staff, lab, lead) -> None:
    capability = lead.capabilities.get()
    before = Authorization.objects.count()
    with pytest.raises(PermissionDenied) as caught:
        authorization_grant(actor=staff["manager"], user=staff["manager"], lab=lab,
                            duty="signing", valid_from=date(2026, 1, 1), capability=capability)
    assert str(caught.value) == ("Nobody grants or renews their own authorization: ask another "
                                 "quality manager of the lab.")
    assert Authorization.objects.count() == before
    quality = make_user("qm", Role.QUALITY_MANAGER, lab)
    granted = authorization_grant(actor=quality, user=staff["manager"], lab=lab, duty="signing",
                                  valid_from=date(2026, 1, 1), capability=capability)
    assert granted.granted_by == quality


def test_nobody_grants_a_role_to_themselves(staff, lab) -> None:
    with pytest.raises(PermissionDenied):
        role_grant(actor=staff["admin"], user=staff["admin"], role=Role.QUALITY_MANAGER,
                   scope=lab)
    with pytest.raises(PermissionDenied):
        role_grant(actor=staff["manager"], user=staff["analyst"], role=Role.REVIEWER, scope=lab)
    assert not RoleAssignment.objects.filter(role__in=[Role.QUALITY_MANAGER, Role.REVIEWER],
                                             user__in=[staff["admin"], staff["analyst"]]).exists()
    second_admin = make_user("admin2", Role.ADMINISTRATOR, None)
    role_grant(actor=second_admin, user=staff["analyst"], role=Role.REVIEWER, scope=lab)
    assert may(staff["analyst"], "test.review", lab=lab)


def test_lab_roles_reach_their_lab_district_roles_their_district(lab, other_lab) -> None:
    own = make_user("lab_reviewer", Role.REVIEWER, lab)
    district = make_user("district_reviewer", Role.REVIEWER, lab.district)
    assert (may(own, "test.review", lab=lab), may(own, "test.review", lab=other_lab)) == (
        True, False)
    assert (may(district, "test.review", lab=lab), may(district, "test.review", lab=other_lab)
            ) == (True, True)
    assert not may(own, "standard.withdraw")
