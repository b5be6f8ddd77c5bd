"""One reader of instrument capacity: routing and the predicted completion see the same
instruments, the same runs × samples, and nothing from an instrument that is down."""

from datetime import date

from portlab.instruments.models import Instrument
from portlab.network.models import Lab
from portlab.transfers.prediction import capacity_plan
from portlab.transfers.routing_service import instrument_capacity, routing_inputs


def capacity_seen(pending_test, lab: Lab) -> tuple[dict, dict]:
    """Each instrument's tests today, as routing and as the prediction see them."""
    routed = {row.id: row.daily_capacity
              for row in routing_inputs([pending_test], on=date(2026, 3, 2)).network.instruments}
    plan = capacity_plan(lab.id)
    runs_today = plan.runs_on(0) or {i.key: i.runs_per_day for i in plan.instruments}
    predicted = {i.key: runs_today[i.key] * i.samples_per_run for i in plan.instruments}
    return routed, predicted


def test_routing_and_prediction_read_the_same_instrument_capacity(pending_test, lab) -> None:
    instrument = Instrument.objects.create(asset_number="ICP-1", name="ICP-MS",
                                           instrument_type="ICP-MS", lab=lab, runs_per_day=2,
                                           samples_per_run=20)
    instrument.capabilities.add(pending_test.capability)
    [read] = instrument_capacity([pending_test.capability_id])
    assert (read.id, read.capability_ids, read.tests_per_day) == (
        instrument.pk, frozenset({pending_test.capability_id}), 40)
    assert capacity_seen(pending_test, lab) == ({instrument.pk: 40}, {instrument.pk: 40})
    for down in (Instrument.Status.OUT_OF_SERVICE, Instrument.Status.UNDER_CALIBRATION,
                 Instrument.Status.RETIRED):
        Instrument.objects.filter(pk=instrument.pk).update(status=down)
        assert instrument_capacity([pending_test.capability_id])[0].tests_per_day == 0
        assert capacity_seen(pending_test, lab) == ({instrument.pk: 0}, {instrument.pk: 0})


def test_an_instrument_measuring_none_of_the_capabilities_is_not_read(pending_test,
                                                                      lab) -> None:
    Instrument.objects.create(asset_number="GC-1", name="GC", instrument_type="GC", lab=lab,
                              runs_per_day=4, samples_per_run=10)
    assert instrument_capacity([pending_test.capability_id]) == []
    assert capacity_plan(lab.id).instruments == ()
