"""Routing a lab's waiting tests over the network: inputs from the database, answer to pages.

Inputs, as portlab.transfers.routing expects them:

- tests: the lab's tests waiting for assignment (its own applications' tests, not ones it
  received by transfer), with their application, sample, item, accreditation requirement
  and due date (day 1 is today, so a test due today has due day 1);
- labs: every lab holding a capability for one of the batch's items, plus the origin lab;
- capacity where it is: each capability's daily capacity and its backlog (its open tests:
  pending, assigned, resulted, reviewed, less the batch itself), and each in-service
  instrument measuring one of them, with runs per day × samples per run shared by the
  capabilities measured on it (an instrument out of service, under calibration or retired
  runs nothing; a capability whose instruments all run nothing is "instrument down");
- transport days between labs: TransportRule (same city 0, same district 1, otherwise 2);
- prices and turnarounds: the capabilities; agreements: RecognitionAgreement in force today.

Nothing is written while routing; `routing_apply` dispatches the transfers the manager
chose, all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.core.errors import ApplicationError
from portlab.instruments.models import Instrument
from portlab.network.agreements import AgreementTerms, LabPlace, agreements_in_force
from portlab.network.models import Capability, Lab
from portlab.network.placement import placeable
from portlab.testing.models import OPEN_TEST_STATUSES, Test
from portlab.transfers import routing
from portlab.transfers.models import Transfer
from portlab.transfers.routing import RoutingInputError, TestRequest, UnplacedReason
from portlab.transfers.services import transfer_dispatch

ROUTING_TIME_LIMIT_SECONDS = 5.0

UNPLACED_LABELS = {
    UnplacedReason.UNKNOWN_TEST_ITEM: gettext_lazy("Unknown test item"),
    UnplacedReason.UNKNOWN_ORIGIN_LAB: gettext_lazy("Unknown origin lab"),
    UnplacedReason.NO_CAPABILITY: gettext_lazy("No lab holds the capability"),
    UnplacedReason.NO_ACCREDITATION: gettext_lazy("No lab is accredited for it"),
    UnplacedReason.NO_AGREEMENT: gettext_lazy("No recognition agreement covers a capable lab"),
    UnplacedReason.NO_CAPACITY: gettext_lazy("The capable labs have zero daily capacity"),
    UnplacedReason.INSTRUMENT_DOWN: gettext_lazy(
        "Every instrument measuring it at the capable labs is out of service"),
}


@dataclass(frozen=True, slots=True)
class TransportRule:
    """Transport days between two labs; a small table a deployment may replace."""

    same_city: int = 0
    same_district: int = 1
    elsewhere: int = 2

    def days(self, *, same_city: bool, same_district: bool) -> int:
        if same_city:
            return self.same_city
        return self.same_district if same_district else self.elsewhere


DEFAULT_TRANSPORT = TransportRule()


def lab_daily_capacity(lab_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Each lab's daily capacity summed over its capabilities: the workload page's figure
    (routing itself reads each capability's and instrument's capacity)."""
    rows = Capability.objects.all()
    if lab_ids is not None:
        rows = rows.filter(lab_id__in=list(lab_ids))
    return {lab: total or 0 for lab, total in
            rows.values("lab_id").annotate(total=Sum("daily_capacity"))
            .values_list("lab_id", "total")}


@dataclass(frozen=True, slots=True)
class RoutingInputs:
    tests: list[TestRequest]
    network: routing.RoutingNetwork
    labs: dict[int, Lab]
    find_agreement: object  # (origin id, target id, item id) -> AgreementTerms | None


def _agreement_finder(labs: dict[int, Lab], accredited: set[tuple[int, int]], on: date):
    terms = agreements_in_force(on)
    places = {lab_id: LabPlace(lab.id, lab.district_id) for lab_id, lab in labs.items()}

    def find(origin: int, target: int, item: int) -> AgreementTerms | None:
        for agreement in terms:
            if agreement.covers(places[origin], places[target], item,
                                (target, item) in accredited, on):
                return agreement
        return None

    return find


def _transport(labs: Iterable[Lab], rule: TransportRule):
    """Routing knows cities; a city's labs tell which districts it lies in."""
    districts: dict[str, set[int]] = {}
    for lab in labs:
        districts.setdefault(lab.city, set()).add(lab.district_id)

    def days(city_from: str, city_to: str) -> int:
        return rule.days(same_city=city_from == city_to,
                         same_district=bool(districts[city_from] & districts[city_to]))

    return days


def capability_backlog(capability_ids: Iterable[int]) -> dict[int, int]:
    """Open tests per capability (waiting, assigned, resulted or in review)."""
    rows = Test.objects.filter(status__in=OPEN_TEST_STATUSES, capability_id__in=capability_ids)
    return dict(rows.values("capability_id").annotate(n=Count("id"))
                .values_list("capability_id", "n"))


@dataclass(frozen=True, slots=True)
class InstrumentCapacity:
    """An instrument as planning sees it: runs per day × samples per run, shared by the
    capabilities measured on it; one not in service runs nothing today."""

    id: int
    lab_id: int
    status: str
    runs_per_day: int
    samples_per_run: int
    capability_ids: frozenset[int]

    @property
    def running(self) -> bool:
        return self.status == Instrument.Status.IN_SERVICE

    @property
    def tests_per_day(self) -> int:
        return self.runs_per_day * self.samples_per_run if self.running else 0


def instrument_capacity(capability_ids: Iterable[int]) -> list[InstrumentCapacity]:
    """The instruments measuring these capabilities, by id: the one reader of instrument
    capacity for routing and for the predicted completion."""
    measured: dict[int, set[int]] = {}
    links = Instrument.capabilities.through.objects.filter(
        capability_id__in=list(capability_ids))
    for instrument_id, capability_id in links.values_list("instrument_id", "capability_id"):
        measured.setdefault(instrument_id, set()).add(capability_id)
    return [InstrumentCapacity(pk, lab_id, status, runs, samples, frozenset(measured[pk]))
            for pk, lab_id, status, runs, samples in
            Instrument.objects.filter(pk__in=list(measured)).order_by("pk").values_list(
                "pk", "lab_id", "status", "runs_per_day", "samples_per_run")]


def routing_instruments(capability_items: dict[int, int]) -> list[routing.Instrument]:
    """The instruments measuring these capabilities (capability id → test item id), with
    their daily capacity in tests and the test items they measure."""
    return [routing.Instrument(instrument.id, instrument.lab_id, instrument.tests_per_day,
                               frozenset(capability_items[c] for c in instrument.capability_ids))
            for instrument in instrument_capacity(capability_items)]


def routing_inputs(tests: list, *, on: date,
                   transport: TransportRule = DEFAULT_TRANSPORT) -> RoutingInputs:
    """The pure routing's inputs for these Test rows (see the module docstring)."""
    item_ids = {test.test_item_id for test in tests}
    # A capability whose method cites a withdrawn standard is offered only once re-verified.
    offered = placeable(Capability.objects.filter(test_item_id__in=item_ids))
    capability_rows = list(offered.order_by("pk").values_list(
        "pk", "lab_id", "test_item_id", "accredited", "price", "turnaround_days",
        "daily_capacity"))
    capability_ids = [row[0] for row in capability_rows]
    capability_items = {row[0]: row[2] for row in capability_rows}
    lab_ids = {row[1] for row in capability_rows} | {test.lab_id for test in tests}
    labs = Lab.objects.in_bulk(lab_ids)
    backlog = capability_backlog(capability_ids)
    for test in tests:
        backlog[test.capability_id] = backlog.get(test.capability_id, 1) - 1
    accredited = {(lab, item) for _, lab, item, is_accredited, *_ in capability_rows
                  if is_accredited}
    find = _agreement_finder(labs, accredited, on)
    network = routing.RoutingNetwork(
        labs=[routing.Lab(lab_id, labs[lab_id].city) for lab_id in sorted(lab_ids)],
        capabilities=[routing.Capability(lab, item, accredited_, float(price), days, capacity,
                                         max(backlog.get(pk, 0), 0))
                      for pk, lab, item, accredited_, price, days, capacity in capability_rows],
        transport_days=_transport(labs.values(), transport),
        agreements=lambda origin, target, item: find(origin, target, item) is not None,
        test_item_ids=item_ids,
        instruments=routing_instruments(capability_items),
    )
    requests = [TestRequest(
        id=test.id, application_id=test.sample.application_id, sample_id=test.sample_id,
        test_item_id=test.test_item_id, origin_lab_id=test.lab_id,
        requires_accreditation=test.sample.application.requires_accreditation,
        due_day=(test.due_date - on).days + 1) for test in tests]
    return RoutingInputs(requests, network, labs, find)


@dataclass(frozen=True, slots=True)
class ProposedTest:
    test: object  # testing.Test
    lab: Lab
    completion_date: date
    price: float
    transferred: bool
    late: bool
    agreement_code: str


@dataclass(frozen=True, slots=True)
class UnplacedTest:
    test: object
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class BatchRouting:
    """A proposal for the lab's waiting tests; nothing is written until it is applied."""

    lab: Lab
    on: date
    status: str
    assignments: list[ProposedTest]
    unplaced: list[UnplacedTest]
    labs_without_capacity: list[Lab]
    gap: float
    seconds: float

    @property
    def transfers(self) -> list[ProposedTest]:
        return [row for row in self.assignments if row.transferred]


def waiting_tests(lab: Lab) -> list:
    """The lab's own tests waiting for an analyst: the batch routing may send elsewhere."""
    return list(Test.objects.filter(lab=lab, status=Test.Status.PENDING,
                                    sample__application__lab=lab)
                .select_related("sample__application", "test_item", "lab")
                .order_by("due_date", "id"))


def route_batch(*, actor: User, lab: Lab, on: date | None = None,
                transport: TransportRule = DEFAULT_TRANSPORT) -> BatchRouting:
    """Propose where each waiting test of the lab goes (the lab manager's batch)."""
    access.require(actor, "routing.plan", lab=lab)
    on = on or timezone.localdate()
    tests = waiting_tests(lab)
    inputs = routing_inputs(tests, on=on, transport=transport)
    try:
        result = routing.route(inputs.tests, inputs.network,
                               time_limit_seconds=ROUTING_TIME_LIMIT_SECONDS)
    except RoutingInputError as error:
        raise ApplicationError(_("The network cannot be routed on: %s") % error) from error
    by_id = {test.id: test for test in tests}
    assignments = []
    for row in result.assignments:
        test = by_id[row.test_id]
        terms = (inputs.find_agreement(test.lab_id, row.lab_id, test.test_item_id)
                 if row.transferred else None)
        assignments.append(ProposedTest(
            test, inputs.labs[row.lab_id], on + timedelta(days=row.completion_day - 1),
            row.price, row.transferred, row.late, terms.code if terms else ""))
    unplaced = [UnplacedTest(by_id[row.test_id], str(UNPLACED_LABELS[row.reason]), row.detail)
                for row in result.unplaced]
    return BatchRouting(lab, on, str(result.status), assignments, unplaced,
                        [inputs.labs[i] for i in result.labs_without_capacity],
                        result.gap, result.seconds)


@transaction.atomic
def routing_apply(*, actor: User, lab: Lab, choices: list[tuple[int, int]],
                  sample_portion: str) -> list[Transfer]:
    """Dispatch the chosen (test id, target lab id) transfers: all of them, or none."""
    if not choices:
        raise ApplicationError(_("Choose at least one transfer."), field="transfers")
    transfers = []
    for test_id, lab_id in choices:
        test = (Test.objects.select_related("sample__application__lab", "test_item", "lab")
                .filter(pk=test_id, lab=lab).first())
        target = Lab.objects.filter(pk=lab_id).first()
        if test is None or target is None:
            raise ApplicationError(_("Test %(test)s or lab %(lab)s is unknown here; nothing was "
                                     "dispatched.") % {"test": test_id, "lab": lab_id},
                                   field=f"transfers[{test_id}]")
        try:
            transfers.append(transfer_dispatch(actor=actor, test=test, to_lab=target,
                                               sample_portion=sample_portion))
        except ApplicationError as error:
            raise ApplicationError(_("Test %(test)s: %(reason)s Nothing was dispatched.")
                                   % {"test": test_id, "reason": error.message},
                                   field=error.field or f"transfers[{test_id}]") from error
    return transfers
