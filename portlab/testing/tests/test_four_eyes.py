"""Four-eyes holds on the version the person saw (issue 11, item 3): a stale decision is refused
with the new value and who entered it; the analyst never checks their own result; reviewer and
approver differ unless the lab turns that off."""

import pytest
from django.test import Client

from conftest import PASSWORD, SIGNED
from portlab.accounts.models import Role, Signature
from portlab.accounts.services import api_token_create, role_grant
from portlab.core.errors import ConflictError, PermissionDenied
from portlab.quality.services import authorization_grant
from portlab.testing import services
from portlab.testing.models import Review, Test
from portlab.testing.results import ResultInput


def enter(staff, test: Test, value: str, reason: str = "") -> None:
    version = test.result.version if reason else test.version
    services.result_enter(actor=staff["analyst"], test=test, reason=reason,
                          data=ResultInput(kind="numeric", value=value),
                          expected_version=version)


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')}",
                  HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def resulted_test(staff, assigned_test) -> Test:
    enter(staff, assigned_test, "0.041")
    return assigned_test


def test_a_reviewer_who_saw_0041_cannot_accept_09(staff, resulted_test) -> None:
    seen = resulted_test.version
    enter(staff, resulted_test, "0.9", reason="typo corrected")
    loaded_again = Test.objects.get(pk=resulted_test.pk)
    with pytest.raises(ConflictError) as caught:
        services.test_review(actor=staff["reviewer"], test=loaded_again, decision="accept",
                             expected_version=seen, credential=SIGNED)
    assert caught.value.message == (
        f"Test {resulted_test.pk} changed since you loaded it (your version {seen}, now "
        f"{seen + 1}): its result is now 0.9 mg/kg, entered by analyst. Check it again before "
        "deciding.")
    assert caught.value.extra["current"]["result"] == "0.9 mg/kg"
    loaded_again.refresh_from_db()
    assert loaded_again.status == Test.Status.RESULTED
    assert not Review.objects.exists() and not Signature.objects.exists()


def test_the_review_api_answers_409_with_the_new_value(staff, resulted_test) -> None:
    seen = resulted_test.version
    enter(staff, resulted_test, "0.9", reason="typo corrected")
    response = api(staff["reviewer"]).post(
        f"/api/v1/tests/{resulted_test.pk}/review",
        {"decision": "accept", "version": seen, "password": PASSWORD},
        content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert (body["field"], body["current"]["result"], body["current"]["changed_by"]) == (
        "version", "0.9 mg/kg", "analyst")


def test_the_review_page_shows_the_new_value_and_who_changed_it(staff, resulted_test) -> None:
    seen = resulted_test.version
    enter(staff, resulted_test, "0.9", reason="typo corrected")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="reviewer", password=PASSWORD)
    page = client.post(f"/testing/tests/{resulted_test.pk}/review/",
                       {"decision": "accept", "version": seen, "password": PASSWORD},
                       follow=True).content.decode()
    assert "its result is now 0.9 mg/kg, entered by analyst" in page


def test_decisions_through_the_api_need_the_version(staff, resulted_test) -> None:
    response = api(staff["reviewer"]).post(
        f"/api/v1/tests/{resulted_test.pk}/review", {"decision": "accept", "password": PASSWORD},
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "version"


def test_the_one_who_entered_a_result_cannot_review_it(staff, lab, resulted_test) -> None:
    role_grant(user=staff["analyst"], role=Role.REVIEWER, scope=lab)
    with pytest.raises(PermissionDenied, match="cannot also check it"):
        services.test_review(actor=staff["analyst"], test=resulted_test, decision="accept",
                             expected_version=resulted_test.version, credential=SIGNED)


@pytest.fixture
def reviewer_signatory(staff, lab, resulted_test):
    """The reviewer is also an authorized signatory of the lab."""
    reviewer = staff["reviewer"]
    role_grant(user=reviewer, role=Role.SIGNATORY, scope=lab)
    authorization_grant(actor=staff["manager"], user=reviewer, lab=lab, duty="signing",
                        capability=resulted_test.capability, valid_from="2020-01-01")
    services.test_review(actor=reviewer, test=resulted_test, decision="accept",
                         expected_version=resulted_test.version, credential=SIGNED)
    return reviewer


def test_the_reviewer_cannot_also_approve(reviewer_signatory, resulted_test) -> None:
    with pytest.raises(PermissionDenied) as caught:
        services.test_approve(actor=reviewer_signatory, test=resulted_test, decision="accept",
                              expected_version=resulted_test.version, credential=SIGNED)
    assert caught.value.message == (
        f"You reviewed test {resulted_test.pk}; another signatory must approve it.")
    resulted_test.refresh_from_db()
    assert resulted_test.status == Test.Status.REVIEWED


def test_a_lab_may_let_the_reviewer_approve(reviewer_signatory, lab, resulted_test) -> None:
    lab.distinct_reviewer_and_approver = False
    lab.save()
    resulted_test.lab.refresh_from_db()
    services.test_approve(actor=reviewer_signatory, test=resulted_test, decision="accept",
                          expected_version=resulted_test.version, credential=SIGNED)
    assert resulted_test.status == Test.Status.APPROVED


@pytest.fixture
def two_resulted_tests(staff, lab, lead, salmonella, rice, enterprise):
    from portlab.intake.services import SampleInput, application_register
    from portlab.testing.reception import sample_receive

    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id, salmonella.id],
        samples=[SampleInput(description="大米 2 kg")], product_category=rice)
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    tests = list(Test.objects.filter(sample__application=application).order_by("id"))
    for test in tests:
        services.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"],
                             expected_version=test.version)
        data = (ResultInput(kind="numeric", value="0.041") if test.test_item == lead
                else ResultInput(kind="text", text="未检出/25g"))
        services.result_enter(actor=staff["analyst"], test=test, data=data,
                              expected_version=test.version)
    return tests


def test_batch_review_signs_once_for_every_test(staff, two_resulted_tests) -> None:
    body = {"tests": [{"id": t.pk, "version": t.version} for t in two_resulted_tests],
            "decision": "accept", "password": PASSWORD}
    response = api(staff["reviewer"]).post("/api/v1/reviews", body,
                                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert [row["status"] for row in response.json()] == ["reviewed", "reviewed"]
    assert sorted(Signature.objects.values_list("entity_id", "meaning", "entity_version")) == [
        (str(t.pk), "reviewed", t.version) for t in two_resulted_tests]


def test_a_batch_with_one_stale_test_changes_nothing(staff, two_resulted_tests) -> None:
    first, second = two_resulted_tests
    body = {"tests": [{"id": first.pk, "version": first.version},
                      {"id": second.pk, "version": second.version - 1}],
            "decision": "accept", "password": PASSWORD}
    response = api(staff["reviewer"]).post("/api/v1/reviews", body,
                                           content_type="application/json")
    assert response.status_code == 409
    assert set(Test.objects.values_list("status", flat=True)) == {"resulted"}
    assert not Review.objects.exists() and not Signature.objects.exists()


def test_the_review_page_accepts_ticked_tests_with_one_signature(staff,
                                                                 two_resulted_tests) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="reviewer", password=PASSWORD)
    page = client.get("/testing/review/").content.decode()
    assert 'form="bulk"' in page and 'name="password"' in page
    form = {"test": [t.pk for t in two_resulted_tests], "password": PASSWORD}
    form.update({f"version_{t.pk}": t.version for t in two_resulted_tests})
    response = client.post("/testing/review/batch/", form, follow=True)
    assert "2 test(s) reviewed under one signature." in response.content.decode()
    assert set(Test.objects.values_list("status", flat=True)) == {"reviewed"}
