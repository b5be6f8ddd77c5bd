"""Lab outcomes label the declarations they were sampled from."""

import pytest

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.intake.models import Application
from portlab.risk.configuration import risk_profile_set, sampling_rate_set
from portlab.risk.services import (
    declaration_label,
    declaration_label_from_application,
    declaration_link_application,
    declaration_submit,
    risk_feedback_for_application,
)
from portlab.risk.tests.conftest import declaration_data
from portlab.testing import services as testing
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput


@pytest.fixture
def sampled(officer, enterprise, lab, lead, rice, staff):
    sampling_rate_set(actor=officer, hs_chapter="", credit_grade="general", rate=1.0)
    risk_profile_set(actor=officer, hs_prefix="1006", test_item_codes=["PB"],
                     product_category_code="RICE")
    declaration = declaration_submit(actor=officer, data=declaration_data())
    return declaration, declaration.selection.application


def lead_result(staff, application, value: str) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    testing.result_enter(actor=staff["analyst"], test=test,
                 data=ResultInput(kind="numeric", value=value, unit="mg/kg"))


def test_failing_result_labels_the_declaration_nonconforming(sampled, staff) -> None:
    declaration, application = sampled
    lead_result(staff, application, "0.5")  # limit 0.2 mg/kg
    assert risk_feedback_for_application(application) == declaration
    declaration.refresh_from_db()
    assert (declaration.nonconforming, declaration.label_source) == (True, application.number)
    event = AuditEvent.objects.filter(action="declaration_label").get()
    assert (event.actor_name, event.after) == (
        "risk-system", {"nonconforming": True, "source": application.number})


def test_passing_result_labels_it_conforming(sampled, staff) -> None:
    declaration, application = sampled
    lead_result(staff, application, "0.05")
    risk_feedback_for_application(application)
    declaration.refresh_from_db()
    assert declaration.nonconforming is False


def test_no_results_yet_is_an_error(sampled) -> None:
    _declaration, application = sampled
    with pytest.raises(ApplicationError) as caught:
        risk_feedback_for_application(application)
    assert caught.value.message == (f"Application {application.number} has no results yet, so "
                                    "its declaration cannot be labelled.")


def test_report_labels_directly_and_once(sampled) -> None:
    declaration, application = sampled
    declaration_label_from_application(application, conforming=True)
    declaration_label_from_application(application, conforming=True)
    declaration.refresh_from_db()
    assert declaration.nonconforming is False
    assert AuditEvent.objects.filter(action="declaration_label").count() == 1


def test_application_without_declaration_is_ignored(application) -> None:
    assert declaration_label_from_application(application, conforming=False) is None


def test_declaration_number_typed_on_an_application_labels_nothing(typed_declaration) -> None:
    declaration, application = typed_declaration
    assert declaration_label_from_application(application, conforming=False) is None
    declaration.refresh_from_db()
    assert (declaration.nonconforming, declaration.label_source) == (None, "")
    assert not AuditEvent.objects.filter(action="declaration_label").exists()


def test_officer_label_is_kept_and_the_skip_is_recorded(sampled, staff, officer) -> None:
    declaration, application = sampled
    declaration_label(actor=officer, declaration=declaration, nonconforming=False,
                      reason="Inspection record 2026-114")
    lead_result(staff, application, "0.5")  # limit 0.2 mg/kg: the lab says nonconforming
    assert risk_feedback_for_application(application) is None
    declaration.refresh_from_db()
    assert (declaration.nonconforming, declaration.label_source) == (False, "officer")
    skip = AuditEvent.objects.get(action="declaration_label_skip")
    assert skip.actor_name == "risk-system"
    assert skip.after == {"lab_nonconforming": True, "application": application.number}
    assert skip.reason == (f"A risk officer labelled this declaration; the result of application "
                           f"{application.number} was not applied.")
    assert AuditEvent.objects.filter(action="declaration_label").count() == 1  # the officer's


@pytest.fixture
def typed_declaration(application, officer):
    """A declaration the engine released, whose number the importer typed on its own
    application (the goods were then inspected and sent to the lab)."""
    declaration = declaration_submit(actor=officer, data=declaration_data(
        number="020220261000000099"))
    Application.objects.filter(pk=application.pk).update(declaration_number=declaration.number)
    application.refresh_from_db()
    return declaration, application


def test_officer_link_lets_the_report_label(typed_declaration, officer) -> None:
    declaration, application = typed_declaration
    declaration_link_application(actor=officer, declaration=declaration,
                                 application_number=application.number,
                                 reason="Physical inspection 2026-114 sent samples")
    assert declaration_label_from_application(application, conforming=False) == declaration
    declaration.refresh_from_db()
    assert (declaration.nonconforming, declaration.label_source) == (True, application.number)
    link = AuditEvent.objects.get(action="declaration_link")
    assert (link.actor_name, link.after) == ("officer", {"application": application.number})


@pytest.mark.parametrize(
    ("number", "reason", "field", "message"),
    [
        ("APP-NONE", "inspection", "application", "There is no application APP-NONE."),
        (None, " ", "reason", "Give the reason for the link."),
    ],
)
def test_bad_link_is_refused(typed_declaration, officer, number, reason, field,
                             message) -> None:
    declaration, application = typed_declaration
    with pytest.raises(ApplicationError) as caught:
        declaration_link_application(actor=officer, declaration=declaration,
                                     application_number=number or application.number,
                                     reason=reason)
    assert (caught.value.field, caught.value.message) == (field, message)
    declaration.refresh_from_db()
    assert declaration.linked_application is None
    assert not AuditEvent.objects.filter(action="declaration_link").exists()


def test_link_to_an_application_naming_another_declaration_is_refused(sampled, officer,
                                                                      application) -> None:
    declaration, _sampled_application = sampled
    with pytest.raises(ApplicationError) as caught:
        declaration_link_application(actor=officer, declaration=declaration,
                                     application_number=application.number, reason="x")
    assert caught.value.message == (f"Application {application.number} does not name "
                                    f"declaration {declaration.number}.")


def test_lab_staff_may_not_link(typed_declaration, staff) -> None:
    declaration, application = typed_declaration
    with pytest.raises(PermissionDenied):
        declaration_link_application(actor=staff["manager"], declaration=declaration,
                                     application_number=application.number, reason="x")
