import pytest

from conftest import SIGNED
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.intake.models import Status
from portlab.testing import services
from portlab.testing.models import Review, Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


@pytest.fixture
def resulted_test(staff, assigned_test) -> Test:
    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.041", uncertainty="0.006"))
    return assigned_test


def test_review_then_approval_approves_sample_and_application(staff, resulted_test) -> None:
    services.test_review(actor=staff["reviewer"], test=resulted_test, decision="accept",
                         expected_version=resulted_test.version, credential=SIGNED)
    assert resulted_test.status == Test.Status.REVIEWED
    services.test_approve(actor=staff["signatory"], test=resulted_test, decision="accept",
                          expected_version=resulted_test.version, credential=SIGNED)
    sample = resulted_test.sample
    sample.refresh_from_db()
    sample.application.refresh_from_db()
    assert resulted_test.status == Test.Status.APPROVED
    assert resulted_test.completed_at is not None
    assert (sample.status, sample.application.status) == (Status.APPROVED, Status.APPROVED)
    assert list(Review.objects.values_list("stage", "decision")) == [
        ("review", "accept"), ("approval", "accept")]


def test_return_sends_the_test_back_to_the_analyst(staff, resulted_test) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.test_review(actor=staff["reviewer"], test=resulted_test, decision="return",
                             expected_version=resulted_test.version, credential=SIGNED)
    assert caught.value.field == "comment"
    services.test_review(actor=staff["reviewer"], test=resulted_test, decision="return",
                comment="check dilution factor",
                         expected_version=resulted_test.version, credential=SIGNED)
    assert resulted_test.status == Test.Status.ASSIGNED
    result_enter(actor=staff["analyst"], test=resulted_test,
                 data=ResultInput(kind="numeric", value="0.082"), reason="dilution x2")
    resulted_test.refresh_from_db()
    assert resulted_test.status == Test.Status.RESULTED


def test_retest_retracts_and_creates_a_new_test(staff, resulted_test) -> None:
    services.test_review(actor=staff["reviewer"], test=resulted_test, decision="retest",
                comment="QC out of range",
                         expected_version=resulted_test.version, credential=SIGNED)
    retest = Test.objects.get(retest_of=resulted_test)
    assert resulted_test.status == Test.Status.RETRACTED
    assert (retest.status, retest.analyst) == (Test.Status.ASSIGNED, staff["analyst"])
    resulted_test.sample.refresh_from_db()
    assert resulted_test.sample.status == Status.IN_TESTING


def test_approval_can_return_to_the_analyst(staff, resulted_test) -> None:
    services.test_review(actor=staff["reviewer"], test=resulted_test, decision="accept",
                         expected_version=resulted_test.version, credential=SIGNED)
    services.test_approve(actor=staff["signatory"], test=resulted_test, decision="return",
                 comment="wrong method clause",
                          expected_version=resulted_test.version, credential=SIGNED)
    assert resulted_test.status == Test.Status.ASSIGNED


def test_roles_and_order_are_enforced(staff, resulted_test) -> None:
    with pytest.raises(PermissionDenied, match="Reviewer"):
        services.test_review(actor=staff["signatory"], test=resulted_test, decision="accept",
                             expected_version=resulted_test.version, credential=SIGNED)
    with pytest.raises(ApplicationError, match="not possible now"):
        services.test_approve(actor=staff["signatory"], test=resulted_test, decision="accept",
                              expected_version=resulted_test.version, credential=SIGNED)
    with pytest.raises(PermissionDenied, match="Authorized signatory"):
        services.test_approve(actor=staff["reviewer"], test=resulted_test, decision="accept",
                              expected_version=resulted_test.version, credential=SIGNED)
    assert resulted_test.status == Test.Status.RESULTED


def test_the_analyst_cannot_review_their_own_result(staff, lab, resulted_test) -> None:
    from portlab.accounts.models import Role
    from portlab.accounts.services import role_grant

    role_grant(user=staff["analyst"], role=Role.REVIEWER, scope=lab)
    with pytest.raises(PermissionDenied, match="cannot also check it"):
        services.test_review(actor=staff["analyst"], test=resulted_test, decision="accept",
                             expected_version=resulted_test.version, credential=SIGNED)


def test_assignment_needs_an_analyst_of_the_lab(staff, application) -> None:
    from portlab.testing.reception import sample_receive

    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get()
    with pytest.raises(ApplicationError) as caught:
        services.test_assign(actor=staff["manager"], test=test, analyst=staff["reviewer"])
    assert caught.value.field == "analyst"
    with pytest.raises(PermissionDenied):
        services.test_assign(actor=staff["analyst"], test=test, analyst=staff["analyst"])
