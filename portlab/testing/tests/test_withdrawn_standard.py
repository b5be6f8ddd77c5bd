"""No new tests on a capability whose method cites a withdrawn standard until the lab's quality
manager records a new verification of the method (assignment, reception and routing refuse)."""

import pytest
from django.utils import timezone

from conftest import make_user
from portlab.accounts.models import Role, User
from portlab.core.errors import ApplicationError
from portlab.intake.models import Application
from portlab.network.agreements import transfer_allowed
from portlab.network.models import Capability, Lab, Method, Standard
from portlab.network.placement import placeable
from portlab.quality.services.methods import method_validation_record, standard_withdraw
from portlab.testing import services as testing
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive

REFUSAL = ("GB 5009.12-2023 GFAAS cites the withdrawn standard GB 5009.12-2023: no new tests "
           "are placed on it at {lab} until the quality manager records a new verification of "
           "the method.")


def _withdraw() -> Standard:
    network_qm = make_user("network_qm", Role.QUALITY_MANAGER, None)
    old = Standard.objects.get(code="GB 5009.12-2023")
    standard_withdraw(actor=network_qm, standard=old, replaced_by=None)
    return old


def _verify(lab: Lab, on: str = "2026-11-25") -> None:
    quality_manager = make_user(f"qm_{lab.code}", Role.QUALITY_MANAGER, lab)
    method_validation_record(actor=quality_manager, lab=lab, kind="verification", date=on,
                             method=Method.objects.get(code="GB 5009.12-2023 GFAAS"),
                             summary="LOD 0.004 mg/kg, recovery 96 % on rice CRM",
                             evidence="MV-2026-031")


def test_assignment_refuses_until_the_method_is_verified_again(
        staff: dict[str, User], application: Application, lab: Lab) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    _withdraw()
    with pytest.raises(ApplicationError) as caught:
        testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    assert (caught.value.field, caught.value.message) == ("test",
                                                          REFUSAL.format(lab=lab.name))
    test.refresh_from_db()
    assert (test.status, test.analyst_id) == ("pending", None)
    _verify(lab)
    testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    assert test.status == "assigned"


def test_a_verification_recorded_before_the_withdrawal_does_not_count(
        staff: dict[str, User], application: Application, lab: Lab) -> None:
    _verify(lab, on="2025-03-01")
    _withdraw()
    with pytest.raises(ApplicationError, match="cites the withdrawn standard"):
        sample_receive(actor=staff["clerk"], sample=application.samples.get())
    assert Test.objects.filter(sample__application=application).count() == 0


def test_routing_offers_no_unverified_capability_and_a_transfer_is_refused(
        staff: dict[str, User], application: Application, lab: Lab, other_lab: Lab) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    capability = Capability.objects.get(lab=lab)
    Capability.objects.create(lab=other_lab, test_item=capability.test_item,
                              method=capability.method, unit="mg/kg", price=100,
                              turnaround_days=5, daily_capacity=10)
    _withdraw()
    assert list(placeable(Capability.objects.all())) == []
    check = transfer_allowed(test, other_lab)
    assert (check.allowed, check.reason) == (False, REFUSAL.format(lab=other_lab.name))
    _verify(other_lab)
    assert [c.lab_id for c in placeable(Capability.objects.all())] == [other_lab.pk]
    assert Capability.objects.get(lab=other_lab).method_verified_at <= timezone.now()
