"""The lab's work pages: assignment, result entry, review and approval through the forms."""

from django.test import Client

from conftest import PASSWORD
from portlab.testing.models import Test


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_assignment_page_lists_pending_tests_and_assigns(staff, application) -> None:
    from portlab.testing.reception import sample_receive

    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get()
    manager = login(staff["manager"])
    page = manager.get("/testing/assignment/")
    assert page.status_code == 200 and f'data-test="{test.pk}"' in page.content.decode()
    response = manager.post(f"/testing/tests/{test.pk}/assign/",
                            {"analyst": staff["analyst"].pk, "version": test.version},
                            follow=True)
    assert "Test assigned." in response.content.decode()
    test.refresh_from_db()
    assert (test.status, test.analyst) == ("assigned", staff["analyst"])


def test_result_form_shows_the_error_keeps_the_input_and_stores_nothing(staff,
                                                                      assigned_test) -> None:
    analyst = login(staff["analyst"])
    response = analyst.post(f"/testing/tests/{assigned_test.pk}/result/",
                            {"kind": "numeric", "value": "0,0x4", "unit": "mg/kg"}, follow=True)
    page = response.content.decode()
    assert "“0,0x4” is not a number." in page
    assert f'name="value_{assigned_test.pk}" value="0,0x4"' in page
    assigned_test.refresh_from_db()
    assert assigned_test.status == "assigned"


def test_result_review_and_approval_through_the_pages(staff, assigned_test) -> None:
    url = f"/testing/tests/{assigned_test.pk}"
    login(staff["analyst"]).post(f"{url}/result/", {"kind": "numeric", "value": "0.041",
                                                     "unit": "mg/kg", "uncertainty": "0.006"})
    reviewer = login(staff["reviewer"])
    assert "0.041 mg/kg" in reviewer.get("/testing/review/").content.decode()
    reviewer.post(f"{url}/review/", {"decision": "accept", "version": 3, "password": PASSWORD})
    response = login(staff["signatory"], "zh-hans").post(
        f"{url}/approve/", {"decision": "accept", "version": 4, "password": PASSWORD}, follow=True)
    assert "批准已记录。" in response.content.decode()
    assigned_test.refresh_from_db()
    assert assigned_test.status == "approved"


def test_stale_form_is_refused_with_a_conflict_message(staff, assigned_test) -> None:
    url = f"/testing/tests/{assigned_test.pk}"
    login(staff["analyst"]).post(f"{url}/result/", {"kind": "numeric", "value": "0.041"})
    response = login(staff["reviewer"]).post(
        f"{url}/review/", {"decision": "accept", "version": 1, "password": PASSWORD}, follow=True)
    assert "changed since you loaded it" in response.content.decode()
    assigned_test.refresh_from_db()
    assert assigned_test.status == "resulted"


def test_pages_need_login_and_hide_other_labs(staff, assigned_test, other_lab) -> None:
    from conftest import make_user
    from portlab.accounts.models import Role

    assert Client().get("/testing/mine/").status_code == 302
    outsider = login(make_user("outsider", Role.REVIEWER, other_lab))
    review_page = outsider.get("/testing/review/").content.decode()
    assert f'data-test="{assigned_test.pk}"' not in review_page
    response = outsider.post(f"/testing/tests/{assigned_test.pk}/review/", {"decision": "accept"})
    assert response.status_code == 404


def test_the_application_trail_names_actions_and_statuses_in_the_users_language(
        staff, application) -> None:
    """Issue 12 item 8: the trail read "application_register → submitted"."""
    from portlab.testing.reception import sample_receive

    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    page = login(staff["manager"], "zh-hans").get(
        f"/intake/applications/{application.number}/").content.decode()
    trail = page[page.rindex('<ul class="timeline">'):]  # the last list: the audit trail
    trail = trail[:trail.index("</ul>")]
    assert "申请已提交 → 已提交" in trail
    assert "样品已接收 → 已收样" in trail
    assert "application_register" not in trail and "submitted" not in trail
