"""Recognition agreements: recording them, bad terms, and when a test may be transferred."""

from datetime import date

import pytest

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.agreements import agreement_create, transfer_allowed
from portlab.network.models import Capability, RecognitionAgreement

LISTED = RecognitionAgreement.Scope.LISTED
ALL_ACCREDITED = RecognitionAgreement.Scope.ALL_ACCREDITED


def create(actor, accepting, performing, **changes) -> RecognitionAgreement:
    terms = {"code": "A-1", "scope": ALL_ACCREDITED, "test_items": [],
             "valid_from": date(2025, 1, 1), "valid_to": date(2025, 12, 31),
             "document_reference": "协议 1"} | changes
    return agreement_create(actor=actor, accepting=accepting, performing=performing, **terms)


def test_agreement_is_recorded_and_audited(agreement, lead) -> None:
    assert agreement.accepting_party.code == "TJ-TC"
    assert agreement.performing_party.code == "BJ-TC"
    assert list(agreement.test_items.all()) == [lead]
    event = AuditEvent.objects.get(action="agreement_create")
    assert event.after["items"] == ["PB"]
    assert event.after["accepting"] == "TJ-TC"


def test_reversed_dates_name_valid_to(staff, lab, beijing_lab) -> None:
    with pytest.raises(ApplicationError) as error:
        create(staff["admin"], lab, beijing_lab, valid_from=date(2025, 6, 1),
               valid_to=date(2025, 5, 31))
    assert error.value.field == "valid_to"
    assert error.value.message == "valid_to (2025-05-31) is before valid_from (2025-06-01)."
    assert RecognitionAgreement.objects.count() == 0


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"scope": LISTED}, "test_items",
     "List at least one test item, or choose all accredited capabilities."),
    ({"scope": "some"}, "scope", "Unknown scope “some”."),
    ({"document_reference": "  "}, "document_reference",
     "Give the reference of the signed agreement document."),
    ({"code": ""}, "code", "Give the agreement number."),
])
def test_bad_terms_are_refused(staff, lab, beijing_lab, changes, field, message) -> None:
    with pytest.raises(ApplicationError) as error:
        create(staff["admin"], lab, beijing_lab, **changes)
    assert (error.value.field, error.value.message) == (field, message)


def test_parties_must_be_of_one_kind_and_distinct(staff, lab, beijing) -> None:
    with pytest.raises(ApplicationError, match="Both parties must be labs, or both districts."):
        create(staff["admin"], lab, beijing)
    with pytest.raises(ApplicationError, match="cannot sign an agreement with itself"):
        create(staff["admin"], lab, lab)


def test_duplicate_code_is_refused(staff, lab, beijing_lab, agreement) -> None:
    with pytest.raises(ApplicationError, match="Agreement JJJ-2024-001 exists already."):
        create(staff["admin"], lab, beijing_lab, code="JJJ-2024-001")


def test_only_admin_or_accepting_manager_may_record(staff, lab, beijing_lab) -> None:
    with pytest.raises(PermissionDenied):
        create(staff["analyst"], lab, beijing_lab)
    assert create(staff["manager"], lab, beijing_lab).code == "A-1"


def test_transfer_allowed_under_listed_agreement(pending_test, beijing_lab, agreement) -> None:
    check = transfer_allowed(pending_test, beijing_lab, date(2026, 3, 1))
    assert (check.allowed, check.agreement_id) == (True, agreement.id)
    assert check.capability.lab == beijing_lab


def test_transfer_refused_without_agreement(pending_test, beijing_lab) -> None:
    check = transfer_allowed(pending_test, beijing_lab, date(2026, 3, 1))
    assert check.allowed is False
    assert check.reason == (
        "No recognition agreement in force on 2026-03-01 lets Tianjin Customs Technology "
        "Center accept results of Beijing Customs Technology Center for Lead.")


def test_transfer_refused_outside_validity(pending_test, beijing_lab, agreement) -> None:
    assert transfer_allowed(pending_test, beijing_lab, date(2100, 1, 1)).allowed is False


def test_transfer_refused_without_capability_or_accreditation(pending_test, other_lab,
                                                              beijing_lab, agreement) -> None:
    check = transfer_allowed(pending_test, other_lab)
    assert check.reason == "Xingang Lab holds no capability for Lead."
    Capability.objects.filter(lab=beijing_lab).update(accredited=False)
    check = transfer_allowed(pending_test, beijing_lab)
    assert check.reason == ("Beijing Customs Technology Center is not accredited for Lead, and "
                            "the application requires accreditation.")


def test_district_agreement_for_all_accredited_capabilities(staff, pending_test, district,
                                                            beijing, beijing_lab) -> None:
    create(staff["admin"], district, beijing, valid_from=date(2020, 1, 1),
           valid_to=date(2099, 1, 1))
    assert transfer_allowed(pending_test, beijing_lab).allowed is True
    Capability.objects.filter(lab=beijing_lab).update(accredited=False)
    application = pending_test.sample.application
    application.requires_accreditation = False
    assert transfer_allowed(pending_test, beijing_lab).allowed is False  # scope: accredited only


def test_agreement_direction_matters(staff, pending_test, lab, beijing_lab) -> None:
    create(staff["admin"], beijing_lab, lab, valid_from=date(2020, 1, 1),
           valid_to=date(2099, 1, 1))  # Beijing accepts Tianjin's results, not the reverse
    assert transfer_allowed(pending_test, beijing_lab).allowed is False
