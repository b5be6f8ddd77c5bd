from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role
from portlab.accounts.services import enterprise_create
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


def client_for(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_detail_shows_progress_and_hides_unapproved_results_from_the_enterprise(
        staff, assigned_test) -> None:
    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.041"))
    url = reverse("application_detail", args=[assigned_test.sample.application.number])
    enterprise_page = client_for(staff["customer"]).get(url).content.decode()
    assert 'id="application-progress"' in enterprise_page
    assert 'data-status="in_review"' in enterprise_page
    assert "0.041" not in enterprise_page
    assert "Analyst" not in enterprise_page and "Audit trail" not in enterprise_page
    lab_page = client_for(staff["reviewer"]).get(url).content.decode()
    assert "0.041" in lab_page and "Audit trail" in lab_page and "Analyst: analyst" in lab_page


def test_second_enterprise_gets_not_found_everywhere(staff, application) -> None:
    stranger_enterprise = enterprise_create(actor=staff["admin"],
                                            credit_code="91330100799655058B", name_zh="阿里巴巴")
    stranger = make_user("stranger", Role.ENTERPRISE_USER, stranger_enterprise)
    client = client_for(stranger)
    for name in ("application_detail", "application_receipt", "application_labels"):
        assert client.get(reverse(name, args=[application.number])).status_code == 404
    listing = client.get(reverse("application_list")).content.decode()
    assert application.number not in listing
