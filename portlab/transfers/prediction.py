"""When will an application be complete? Its tests in their labs' queues (routing's model).

A test still waiting finishes on day ``transport + ceil(ahead / capacity) + turnaround``
(portlab.transfers.routing.predict_completion), where ``ahead`` counts the lab's tests open at
the moment of prediction that were created no later than it (itself included: first come,
first served) and ``capacity`` is the lab's daily capacity (sum over its capabilities).
Day 1 is the day of the prediction, so that date + (day - 1) is the predicted date: a test
alone in its queue starts today. A test in transit adds the transport days from its origin.
A test already with an analyst finishes on its due date (today, if late); an approved one on
its completion date. The application is complete with its latest test.

``at`` replays a prediction as it would have been made at that moment (benchmarks on
history): every test not completed by then counts as waiting in its lab's queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from portlab.network.models import Capability, Lab
from portlab.network.selectors import capabilities_for_items
from portlab.transfers import routing
from portlab.transfers.models import Transfer
from portlab.transfers.routing_service import (
    DEFAULT_TRANSPORT,
    TransportRule,
    lab_daily_capacity,
)

STARTED = ("assigned", "resulted", "reviewed")


@dataclass(frozen=True, slots=True)
class TestForecast:
    __test__ = False  # pytest: not a test class

    label: str
    lab: Lab
    date: date
    basis: str  # done, started, queue, transfer


@dataclass(frozen=True, slots=True)
class Prediction:
    date: date
    made_on: date
    tests: list[TestForecast]

    @property
    def days(self) -> int:
        return (self.date - self.made_on).days


def _tests_ahead(lab_id: int, created_at: datetime, at: datetime) -> int:
    from portlab.testing.models import Test

    return (Test.objects.filter(lab_id=lab_id, created_at__lte=created_at)
            .exclude(status__in=["retracted", "cancelled"])
            .filter(Q(completed_at__isnull=True) | Q(completed_at__gt=at)).count())


def _queue_day(lab: Lab, capability: Capability, ahead: int, capacity: int,
               transport: int) -> int:
    """Routing's prediction for one test waiting at `lab` behind `ahead` tests."""
    request = routing.TestRequest("t", "a", "s", capability.test_item_id, lab.id)
    network = routing.RoutingNetwork(
        labs=[routing.Lab(lab.id, lab.city, capacity, ahead)],
        capabilities=[routing.Capability(lab.id, capability.test_item_id, capability.accredited,
                                         float(capability.price), capability.turnaround_days)],
        transport_days=lambda _a, _b: 0)
    return transport + routing.predict_completion(tests=[request], lab_of_test={"t": lab.id},
                                                  network=network)


def _forecast(test, at: datetime, replay: bool, capacity: dict[int, int],
              transport: TransportRule) -> TestForecast:
    label = f"{test.sample.number} {test.test_item.code}"
    if test.completed_at is not None and test.completed_at <= at:
        return TestForecast(label, test.lab, timezone.localdate(test.completed_at), "done")
    today = timezone.localdate(at)
    transfer = None if replay else _open_transfer(test)
    if transfer is not None:
        lab, capability = transfer.to_lab, _capability_at(transfer.to_lab, test)
        moves = transport.days(same_city=transfer.from_lab.city == lab.city,
                               same_district=transfer.from_lab.district_id == lab.district_id)
        ahead, basis = _tests_ahead(lab.id, at, at) + 1, "transfer"
    elif not replay and test.status in STARTED:
        return TestForecast(label, test.lab, max(today, test.due_date), "started")
    else:
        lab, capability, moves = test.lab, test.capability, 0
        ahead, basis = _tests_ahead(lab.id, test.created_at, at), "queue"
    day = _queue_day(lab, capability, max(ahead, 1), capacity.get(lab.id, 0) or 1, moves)
    return TestForecast(label, lab, today + timedelta(days=day - 1), basis)


def _open_transfer(test) -> Transfer | None:
    return (Transfer.objects.select_related("from_lab", "to_lab")
            .filter(test=test, status__in=["dispatched", "in_transit"]).first())


def _capability_at(lab: Lab, test) -> Capability:
    return capabilities_for_items(lab, [test.test_item_id], False).get(test.test_item_id,
                                                                       test.capability)


def _requested_forecasts(application, at: datetime, capacity: dict[int, int]):
    """Before reception there are no tests yet: the requested items on every live sample."""
    lab = application.lab
    item_ids = list(application.items.values_list("test_item_id", flat=True))
    chosen = capabilities_for_items(lab, item_ids, application.requires_accreditation)
    samples = application.samples.exclude(status__in=["rejected", "cancelled"]).count()
    ahead = _tests_ahead(lab.id, at, at) + len(chosen) * samples
    today = timezone.localdate(at)
    return [TestForecast(capability.test_item.code, lab,
                         today + timedelta(days=_queue_day(lab, capability, ahead,
                                                           capacity.get(lab.id, 0) or 1, 0) - 1),
                         "queue")
            for capability in chosen.values()] if samples else []


def application_predicted_completion(application, at: datetime | None = None,
                                     transport: TransportRule = DEFAULT_TRANSPORT,
                                     ) -> Prediction | None:
    """The application's predicted completion date, test by test; None when it will not
    complete (rejected, cancelled) or has nothing to test."""
    from portlab.testing.models import Test

    if application.status in ("rejected", "cancelled"):
        return None
    replay, at = at is not None, at or timezone.now()
    tests = list(Test.objects.filter(sample__application=application)
                 .exclude(status__in=["retracted", "cancelled"])
                 .select_related("sample", "test_item", "lab", "capability")
                 .order_by("sample__number", "test_item__code"))
    labs = {test.lab_id for test in tests} | {application.lab_id}
    labs |= set(Transfer.objects.filter(test__in=tests, status__in=["dispatched", "in_transit"])
                .values_list("to_lab_id", flat=True))
    capacity = lab_daily_capacity(labs)
    forecasts = ([_forecast(test, at, replay, capacity, transport) for test in tests] if tests
                 else _requested_forecasts(application, at, capacity))
    if not forecasts:
        return None
    return Prediction(max(f.date for f in forecasts), timezone.localdate(at), forecasts)
