"""Application priority: set by the lab's reception or manager, shown on the application page,
kept by the migration that added it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.intake.models import Application, Status
from portlab.intake.services import application_set_priority

URGENT, NORMAL = Application.Priority.URGENT, Application.Priority.NORMAL


def client_for(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_reception_sets_urgent_and_the_audit_trail_says_so(staff, application) -> None:
    assert application.priority == NORMAL
    application_set_priority(actor=staff["clerk"], application=application, priority="1",
                             expected_version=application.version)
    application.refresh_from_db()
    assert (application.priority, application.version) == (URGENT, 2)
    event = AuditEvent.objects.filter(action="application_priority").get()
    assert (event.before, event.after) == ({"priority": 0}, {"priority": 1})
    application_set_priority(actor=staff["manager"], application=application, priority=0)
    application.refresh_from_db()
    assert application.priority == NORMAL


@pytest.mark.parametrize("role", ["customer", "analyst"])
def test_the_applicant_and_the_bench_may_not_set_it(staff, application, role) -> None:
    with pytest.raises(PermissionDenied):
        application_set_priority(actor=staff[role], application=application, priority=1)
    application.refresh_from_db()
    assert (application.priority, application.version) == (NORMAL, 1)


@pytest.mark.parametrize("value", ["2", "urgent", ""])
def test_a_value_that_is_no_priority_is_named_and_nothing_written(staff, application,
                                                                   value) -> None:
    with pytest.raises(ApplicationError) as caught:
        application_set_priority(actor=staff["clerk"], application=application, priority=value)
    assert caught.value.field == "priority"
    assert str(caught.value) == f"Priority: “{value}” is neither normal nor urgent."
    application.refresh_from_db()
    assert (application.priority, application.version) == (NORMAL, 1)
    assert not AuditEvent.objects.filter(action="application_priority").exists()


def test_a_withdrawn_application_keeps_its_priority(staff, application) -> None:
    Application.objects.filter(pk=application.pk).update(status=Status.CANCELLED)
    application.refresh_from_db()
    with pytest.raises(ApplicationError) as caught:
        application_set_priority(actor=staff["clerk"], application=application, priority=1)
    assert "cannot change" in str(caught.value)


def test_the_page_shows_the_priority_and_the_form_to_reception_only(staff, application) -> None:
    url = reverse("application_detail", args=[application.number])
    clerk_page = client_for(staff["clerk"]).get(url).content.decode()
    assert f'action="{reverse("application_priority", args=[application.number])}"' in clerk_page
    customer = client_for(staff["customer"], "zh-hans")
    customer_page = customer.get(url).content.decode()
    assert "优先级" in customer_page and "普通" in customer_page
    assert reverse("application_priority", args=[application.number]) not in customer_page
    refused = customer.post(reverse("application_priority", args=[application.number]),
                            {"priority": "1"})
    assert refused.status_code in (403, 404)
    clerk = client_for(staff["clerk"])
    clerk.post(reverse("application_priority", args=[application.number]),
               {"priority": "1", "version": "1"})
    application.refresh_from_db()
    assert application.priority == URGENT
    assert '<span class="badge urgent">Urgent</span>' in clerk.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_application_as_normal(application,
                                                        latest_schema_after) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("intake", "0002_sample_custody_storage_retention_disposal")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("intake", "0003_application_priority")])
    kept = Application.objects.get(pk=application.pk)
    assert (kept.number, kept.goods_description, kept.priority) == (
        application.number, "泰国茉莉香米", NORMAL)
