"""Routing a lab's waiting tests from the database, applying transfers, predicting dates."""

from datetime import date, timedelta

import pytest

from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.instruments.models import Instrument
from portlab.intake.models import Sample
from portlab.intake.services import SampleInput, application_register
from portlab.network.models import Capability, Lab
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.transfers.models import Transfer
from portlab.transfers.routing_service import (
    TransportRule,
    lab_daily_capacity,
    route_batch,
    routing_apply,
    routing_inputs,
    waiting_tests,
)


def busy(lab: Lab, days: int) -> None:
    """Fill the lab's queue with `days` days of work at its capacity."""
    Capability.objects.filter(lab=lab).update(daily_capacity=1)
    template = Test.objects.filter(lab=lab).first()
    other = template.sample.application
    other.pk, other.number = None, "A-BUSY"
    other.save()
    sample = Sample.objects.create(number="S-BUSY", application=other, description="queue")
    Test.objects.bulk_create(
        Test(sample=sample, test_item=template.test_item, capability=template.capability,
             lab=lab, status="assigned", due_date=template.due_date,
             created_at=template.created_at - timedelta(days=1)) for _ in range(days))


def test_inputs_keep_each_capability_s_capacity_and_backlog(pending_test, lab, beijing_lab,
                                                            agreement) -> None:
    busy(lab, 3)
    inputs = routing_inputs([pending_test], on=date(2026, 3, 2))
    capabilities = {(row.lab_id, row.test_item_id): row for row in inputs.network.capabilities}
    home = capabilities[(lab.id, pending_test.test_item_id)]
    assert (home.daily_capacity, home.backlog) == (1, 3)  # the batch itself is not backlog
    assert capabilities[(beijing_lab.id, pending_test.test_item_id)].daily_capacity == 50
    assert [row.daily_capacity for row in inputs.network.labs] == [0, 0]  # no bench: all own
    assert inputs.network.transport_days("天津", "北京") == 2
    assert inputs.network.transport_days("天津", "天津") == 0
    request = inputs.tests[0]
    assert (request.origin_lab_id, request.requires_accreditation) == (lab.id, True)
    assert request.due_day == (pending_test.due_date - date(2026, 3, 2)).days + 1
    assert lab_daily_capacity([lab.id]) == {lab.id: 1}  # the workload page: the sum


def test_same_district_is_one_day_by_default_and_configurable(pending_test, lab,
                                                              other_lab) -> None:
    other_lab.city = "滨海"
    other_lab.save()
    Capability.objects.create(lab=other_lab, test_item=pending_test.test_item,
                              method=pending_test.capability.method, unit="mg/kg", price=1,
                              turnaround_days=1, daily_capacity=1)
    assert routing_inputs([pending_test], on=date.today()).network.transport_days(
        "天津", "滨海") == 1
    slow = TransportRule(same_district=3)
    assert routing_inputs([pending_test], on=date.today(), transport=slow
                          ).network.transport_days("天津", "滨海") == 3


def test_batch_stays_home_when_home_is_fastest(staff, pending_test, lab, beijing_lab,
                                               agreement) -> None:
    Capability.objects.filter(lab=beijing_lab).update(turnaround_days=4)  # 2 + 1 + 4 > 1 + 5
    routed = route_batch(actor=staff["manager"], lab=lab, on=date(2026, 3, 2))
    assert [(row.test, row.lab, row.transferred) for row in routed.assignments] == [
        (pending_test, lab, False)]
    assert routed.assignments[0].completion_date == date(2026, 3, 7)  # 5 days' turnaround
    assert routed.unplaced == []


def test_busy_home_lab_sends_the_test_under_the_agreement(staff, pending_test, lab,
                                                          beijing_lab, agreement) -> None:
    busy(lab, 30)
    routed = route_batch(actor=staff["manager"], lab=lab, on=date(2026, 3, 2))
    row = routed.transfers[0]
    assert (row.lab, row.agreement_code, row.completion_date) == (
        beijing_lab, "JJJ-2024-001", date(2026, 3, 7))  # 2 days' transport + 3 turnaround
    transfers = routing_apply(actor=staff["manager"], lab=lab,
                              choices=[(pending_test.id, beijing_lab.id)],
                              sample_portion="200 g")
    assert [(t.test_id, t.to_lab) for t in transfers] == [(pending_test.id, beijing_lab)]
    assert waiting_tests(lab) == []


def test_no_agreement_leaves_the_busy_lab_with_its_test(staff, pending_test, lab,
                                                        beijing_lab) -> None:
    busy(lab, 30)
    routed = route_batch(actor=staff["manager"], lab=lab)
    assert [row.lab for row in routed.assignments] == [lab]


def test_zero_capacity_is_a_clear_state(staff, pending_test, lab) -> None:
    Capability.objects.filter(lab=lab).update(daily_capacity=0)
    routed = route_batch(actor=staff["manager"], lab=lab)
    assert routed.assignments == []
    assert [(row.test, row.reason) for row in routed.unplaced] == [
        (pending_test, "The capable labs have zero daily capacity")]
    assert routed.labs_without_capacity == [lab]


def test_an_instrument_out_of_service_is_a_clear_state(staff, pending_test, lab) -> None:
    instrument = Instrument.objects.create(asset_number="ICP-1", name="ICP-MS",
                                           instrument_type="ICP-MS", lab=lab, runs_per_day=2,
                                           samples_per_run=20)
    instrument.capabilities.add(pending_test.capability)
    inputs = routing_inputs([pending_test], on=date(2026, 3, 2))
    assert [(row.daily_capacity, set(row.test_item_ids)) for row in inputs.network.instruments
            ] == [(40, {pending_test.test_item_id})]
    Instrument.objects.filter(pk=instrument.pk).update(status="under_calibration")
    routed = route_batch(actor=staff["manager"], lab=lab)
    assert routed.assignments == []
    assert [(row.test, row.reason) for row in routed.unplaced] == [
        (pending_test, "Every instrument measuring it at the capable labs is out of service")]


def test_only_the_lab_manager_routes(staff, lab) -> None:
    with pytest.raises(PermissionDenied):
        route_batch(actor=staff["clerk"], lab=lab)


def test_apply_is_all_or_nothing(staff, pending_test, lab, beijing_lab, other_lab,
                                 agreement) -> None:
    second = application_register(
        actor=staff["customer"], enterprise=pending_test.sample.application.enterprise, lab=lab,
        goods_description="大米", hs_code="1006302000", purpose="import",
        test_item_ids=[pending_test.test_item_id], samples=[SampleInput("大米 1 kg")])
    sample_receive(actor=staff["clerk"], sample=second.samples.get())
    other = Test.objects.get(sample__application=second)
    with pytest.raises(ApplicationError) as error:
        routing_apply(actor=staff["manager"], lab=lab, sample_portion="200 g",
                      choices=[(pending_test.id, beijing_lab.id), (other.id, other_lab.id)])
    assert error.value.message == (f"Test {other.id}: Xingang Lab holds no capability for "
                                   "Lead. Nothing was dispatched.")
    assert Transfer.objects.count() == 0
    with pytest.raises(ApplicationError, match="is unknown here"):
        routing_apply(actor=staff["manager"], lab=lab, sample_portion="200 g",
                      choices=[(999999, beijing_lab.id)])
    with pytest.raises(ApplicationError, match="Choose at least one transfer."):
        routing_apply(actor=staff["manager"], lab=lab, sample_portion="200 g", choices=[])
