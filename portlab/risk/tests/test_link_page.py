"""The declaration page's link form: an officer ties the importer's application, with a reason."""

import pytest
from django.test import Client
from django.urls import reverse

from portlab.audit.models import AuditEvent
from portlab.intake.models import Application
from portlab.risk.services import declaration_submit
from portlab.risk.tests.conftest import declaration_data


@pytest.fixture
def typed(application, officer):
    declaration = declaration_submit(actor=officer, data=declaration_data(
        number="020220261000000099"))
    Application.objects.filter(pk=application.pk).update(declaration_number=declaration.number)
    return declaration, application


def post_link(client: Client, declaration, **data):
    data = {"version": declaration.version} | data
    return client.post(f"/risk/declarations/{declaration.number}/link/", data, follow=True)


def test_the_page_links_the_application_and_audits_it(typed, officer_client) -> None:
    declaration, application = typed
    page = post_link(officer_client, declaration, application=application.number,
                     reason="Inspection record 2026-114").content.decode()
    assert "Application linked: its lab outcome will label this declaration." in page
    url = reverse("application_detail", args=[application.number])
    assert f'Linked application <a href="{url}">{application.number}</a>' in page
    declaration.refresh_from_db()
    assert (declaration.linked_application, declaration.version) == (application, 2)
    event = AuditEvent.objects.get(action="declaration_link")
    assert event.reason == "Inspection record 2026-114"


def test_an_application_naming_another_declaration_is_refused_keeping_the_form(
        typed, officer_client) -> None:
    declaration, application = typed
    Application.objects.filter(pk=application.pk).update(
        declaration_number="020220261000000001")
    page = post_link(officer_client, declaration, application=application.number,
                     reason="typed reason").content.decode()
    assert (f"Application {application.number} does not name declaration "
            f"{declaration.number}.") in page
    assert 'value="typed reason"' in page
    declaration.refresh_from_db()
    assert declaration.linked_application is None
    assert not AuditEvent.objects.filter(action="declaration_link").exists()


def test_a_stale_form_is_refused(typed, officer_client) -> None:
    declaration, application = typed
    response = post_link(officer_client, declaration, version=declaration.version + 5,
                         application=application.number, reason="r")
    declaration.refresh_from_db()
    assert declaration.linked_application is None
    assert response.status_code == 200


def test_lab_staff_may_not_link(typed, staff) -> None:
    declaration, application = typed
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff["analyst"])
    response = client.post(f"/risk/declarations/{declaration.number}/link/",
                           {"application": application.number, "reason": "r", "version": 1})
    assert response.status_code == 403
