"""The licence-check page: unverified enterprises listed, verified once, audited; and the
migration that marks enterprises already holding reports."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client

from conftest import VALID_CREDIT_CODE, make_user
from portlab.accounts.models import Enterprise, Role, User
from portlab.audit.models import AuditEvent

QUEUE = "/accounts/enterprises/verification/"


@pytest.fixture
def credit_client(db) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(make_user("credit", Role.CREDIT_OFFICER, None))
    return client


def verify(client: Client, checked: bool = True, code: str = VALID_CREDIT_CODE):
    data = {"note": "SAMR register"} | ({"checked": "yes"} if checked else {})
    return client.post(f"/accounts/enterprises/{code}/verify/", data, follow=True)


def test_the_queue_lists_unverified_enterprises(enterprise: Enterprise, credit_client) -> None:
    page = credit_client.get(QUEUE).content.decode()
    assert "Waiting for a licence check (1)" in page
    assert f"<code>{VALID_CREDIT_CODE}</code>" in page


def test_verifying_from_the_page_is_audited_once(enterprise: Enterprise, credit_client) -> None:
    assert f"{enterprise.name} is verified." in verify(credit_client).content.decode()
    enterprise.refresh_from_db()
    assert enterprise.verified_by.username == "credit"
    again = verify(credit_client).content.decode()
    assert f"{enterprise.name} was already verified on" in again
    assert AuditEvent.objects.filter(action="enterprise_verify").count() == 1
    assert "Waiting for a licence check (0)" in credit_client.get(QUEUE).content.decode()


def test_verifying_needs_the_licence_checked_box(enterprise: Enterprise, credit_client) -> None:
    page = verify(credit_client, checked=False).content.decode()
    assert "tick “I checked the business licence” before verifying" in page
    enterprise.refresh_from_db()
    assert enterprise.verified_at is None


def test_an_unknown_code_is_named(credit_client) -> None:
    response = credit_client.post("/accounts/enterprises/91000000000000000X/verify/",
                                  {"checked": "yes"})
    assert response.status_code == 404


def test_lab_staff_may_not_open_the_queue(staff: dict[str, User]) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff["clerk"])
    assert client.get(QUEUE).status_code == 403
    assert verify(client).status_code == 403


def test_migration_verifies_only_enterprises_holding_reports(application, staff) -> None:
    from django.utils import timezone

    from portlab.reports.models import Report

    quiet = Enterprise.objects.create(credit_code="91110000000000000Q", name_zh="无报告企业")
    Report.objects.create(number="R-1", application=application, lab=application.lab,
                          issued_at=timezone.now(), issued_by=staff["signatory"], key_id="k",
                          payload="{}", conclusion="-", pdf_sha256="0" * 64, pdf=b"")
    migration = importlib.import_module(
        "portlab.reports.migrations.0003_enterprises_with_reports_verified_by_migration")
    migration.mark_verified(django_apps, None)
    holder = Enterprise.objects.get(pk=application.enterprise_id)
    quiet.refresh_from_db()
    assert (holder.is_verified, holder.verified_by, quiet.is_verified) == (True, None, False)
    event = AuditEvent.objects.get(action="enterprise_verify")
    assert (event.actor_name, event.entity_id, event.after["by"]) == (
        "system", str(holder.pk), "migration")
    migration.mark_verified(django_apps, None)  # twice: nothing more
    assert AuditEvent.objects.filter(action="enterprise_verify").count() == 1
    page_client = Client(headers={"accept-language": "en"})
    page_client.force_login(make_user("credit", Role.CREDIT_OFFICER, None))
    assert "by migration (reports already issued)" in page_client.get(QUEUE).content.decode()
