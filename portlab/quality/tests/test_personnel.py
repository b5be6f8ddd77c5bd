import datetime

import pytest

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import Capability
from portlab.quality.models import Authorization, Duty
from portlab.quality.selectors import authorizations_expiring
from portlab.quality.services import (
    authorization_grant,
    authorization_require,
    authorization_revoke,
    competence_record_add,
)
from portlab.testing import services as workflow
from portlab.testing.models import Test


def _capability(lab) -> Capability:
    return Capability.objects.get(lab=lab, test_item__code="PB")


def test_grant_refuses_an_end_before_the_start_naming_valid_to(staff, lab, lead) -> None:
    with pytest.raises(ApplicationError) as caught:
        authorization_grant(actor=staff["manager"], user=staff["analyst"], lab=lab,
                            duty=Duty.TESTING, capability=_capability(lab),
                            valid_from="2026-03-01", valid_to="2026-02-28")
    assert caught.value.field == "valid_to"
    assert caught.value.message == ("The authorization would end (2026-02-28) before it "
                                    "starts (2026-03-01).")


@pytest.mark.parametrize(("changes", "field"), [
    ({"duty": "cooking"}, "duty"),
    ({"valid_from": "2026-13-01"}, "valid_from"),
    ({"valid_from": ""}, "valid_from"),
    ({"capability": None}, "capability"),
])
def test_grant_bad_input_names_the_field(staff, lab, lead, changes, field) -> None:
    arguments = {"actor": staff["manager"], "user": staff["analyst"], "lab": lab,
                 "duty": Duty.TESTING, "capability": _capability(lab),
                 "valid_from": "2026-01-01"} | changes
    before = Authorization.objects.count()
    with pytest.raises(ApplicationError) as caught:
        authorization_grant(**arguments)
    assert caught.value.field == field
    assert Authorization.objects.count() == before


def test_only_quality_staff_grant(staff, lab, lead) -> None:
    with pytest.raises(PermissionDenied):
        authorization_grant(actor=staff["analyst"], user=staff["analyst"], lab=lab,
                            duty=Duty.TESTING, capability=_capability(lab),
                            valid_from="2026-01-01")


def test_expiring_lists_authorizations_ending_within_the_window(staff, lab, lead) -> None:
    today = datetime.date(2026, 5, 1)
    for days in (5, 30, 31):
        authorization_grant(actor=staff["manager"], user=staff["reviewer"], lab=lab,
                            duty=Duty.CONFORMITY_STATEMENT, capability=_capability(lab),
                            valid_from="2026-01-01", valid_to=today + datetime.timedelta(days))
    rows = authorizations_expiring(lab, days=30, today=today)
    assert [a.valid_to for a in rows] == [datetime.date(2026, 5, 6), datetime.date(2026, 5, 31)]


def test_assignment_needs_a_valid_testing_authorization(staff, lab, lead, application) -> None:
    from portlab.testing.reception import sample_receive

    Authorization.objects.filter(user=staff["analyst"]).delete()
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    with pytest.raises(ApplicationError) as caught:
        workflow.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    assert caught.value.field == "analyst"
    assert "holds no valid authorization for “Testing” on Lead" in caught.value.message
    test.refresh_from_db()
    assert test.status == Test.Status.PENDING


def test_a_method_authorization_covers_the_capability(staff, lab, lead, application) -> None:
    from portlab.testing.reception import sample_receive

    Authorization.objects.filter(user=staff["analyst"]).delete()
    authorization_grant(actor=staff["manager"], user=staff["analyst"], lab=lab,
                        duty=Duty.TESTING, method=_capability(lab).method,
                        valid_from="2020-01-01")
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    workflow.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    assert test.status == Test.Status.ASSIGNED


def test_expired_and_revoked_authorizations_do_not_count(staff, lab, lead) -> None:
    capability = _capability(lab)
    Authorization.objects.filter(user=staff["reviewer"]).delete()
    authorization_grant(actor=staff["manager"], user=staff["reviewer"], lab=lab,
                        duty=Duty.REVIEW, capability=capability, valid_from="2020-01-01",
                        valid_to="2021-01-01")
    with pytest.raises(PermissionDenied):
        authorization_require(staff["reviewer"], capability, Duty.REVIEW)
    current = authorization_grant(actor=staff["manager"], user=staff["reviewer"], lab=lab,
                                  duty=Duty.REVIEW, capability=capability,
                                  valid_from="2020-01-01")
    authorization_require(staff["reviewer"], capability, Duty.REVIEW)
    with pytest.raises(ApplicationError) as caught:
        authorization_revoke(actor=staff["manager"], authorization=current, reason=" ")
    assert caught.value.field == "reason"
    authorization_revoke(actor=staff["manager"], authorization=current, reason="left the lab")
    with pytest.raises(PermissionDenied):
        authorization_require(staff["reviewer"], capability, Duty.REVIEW)


def test_review_needs_the_review_duty(staff, assigned_test) -> None:
    from portlab.testing.results import ResultInput
    from portlab.testing.services import result_enter

    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.05", uncertainty="0.01"))
    Authorization.objects.filter(user=staff["reviewer"], duty=Duty.REVIEW).delete()
    with pytest.raises(PermissionDenied) as caught:
        workflow.test_review(actor=staff["reviewer"], test=assigned_test, decision="accept",
                             expected_version=assigned_test.version, credential=SIGNED)
    assert "“Review”" in caught.value.message
    assigned_test.refresh_from_db()
    assert assigned_test.status == Test.Status.RESULTED


def test_competence_record_needs_evidence(staff, lab) -> None:
    with pytest.raises(ApplicationError) as caught:
        competence_record_add(actor=staff["manager"], user=staff["analyst"], lab=lab,
                              kind="training", topic="GFAAS", date="2026-01-10", evidence="")
    assert caught.value.field == "evidence"
    record = competence_record_add(actor=staff["manager"], user=staff["analyst"], lab=lab,
                                   kind="training", topic="GFAAS", date="2026-01-10",
                                   evidence="certificate 2026-017")
    assert (record.user, record.date) == (staff["analyst"], datetime.date(2026, 1, 10))
    assert isinstance(record.recorded_by, User)
