"""Routing: send each test of a batch to a lab of the network (pure Python, no Django).

Rules. A test may go to a lab only when the lab holds the capability for its test item, is
accredited for it when the application requires accreditation, and is the origin lab or is
named by a recognition agreement of the origin lab (for that item or for every item). A test
no lab may take is returned in ``unplaced`` with the first rule that failed: unknown test
item, unknown origin lab, no capability, no accreditation, no agreement, no capacity (every
capable lab's capability has zero daily capacity), instrument down (every instrument that
measures it there is out of service for the whole horizon). Every test of the batch ends up
either assigned or unplaced; input that no routing can use (duplicate ids, negative numbers,
references to unknown labs) raises RoutingInputError before anything is routed. A due day in
the past is routed like any other and counted late from its first day.

Capacity where it is (capacity.py). A capability starts at most its ``daily_capacity`` tests a
day; when it is measured on instruments, each test also takes a slot of one of them (runs per
day × samples per run, shared by every capability measured on the instrument); a capability
stating no capacity of its own and using no instrument shares the lab bench
(``Lab.daily_capacity``). Waiting tests (backlogs) take their slots first; the batch's tests
then take the earliest slot left, in the order the labs work them. A test at queue day ``d``
finishes on ``transport(origin city, lab city) + d + turnaround`` (transport 0 at the origin).

Objective (one weighted sum, in points; ``Weights``):
- completion: 1 point per application per day until its latest test finishes;
- tardiness: 4 points per application per day past its due day (the earliest of its tests');
- cost: 1 point per 1,000 of price (the network's currency);
- transport: 0.5 point per shipment-day, a shipment being an application's tests sent to one
  lab other than the origin (its samples travel together), so sending an application's samples
  to one lab is cheaper than splitting them;
- splits: 1 point per sample per lab beyond the first that its tests go to (a sub-sample to
  prepare and send). A sample is thus kept together where possible: whenever splitting it
  does not save more than it costs.

Plans (plans.py, no solver library: the search is small per application). Alone ahead of
the backlogs, a test finishes at a lab on a known day (its earliest there), and an
application's part of the objective then depends only on the labs it picks. Each
application's best such routing is found by branch and bound over its possible completion
days and, at each, its tests' labs (cheapest first, pruned by the least price of the tests
left and the sub-samples no chosen lab can avoid). Past ``NODE_LIMIT`` branches per day the
search stops; the least bound of the branches left keeps its lower bound valid.

Bound and gap. Other tests of the batch only ever delay a test, and an application's points
never fall when a test finishes later, so in every routing, to any lab the rules allow, in any
queue order, each application costs at least its plan's lower bound: their sum bounds the
objective from below over the whole problem. ``bound`` is the larger of it and the no-queue
bound (each application at its latest test's earliest completion, each test at its least
price and shipment share, one split per sample no lab can do whole), and
``gap = (objective - bound) / objective`` a true optimality gap. Its weakness: it ignores that
the batch's own tests queue behind each other, so it is loose where a batch overwhelms a
capability (see the tests' enumerated instances and the README).

From plans to routing. Each application goes to its plan's labs; the labs take first the tests
with the least room before their application's planned day, then each queue is reordered by
the day each test may leave it without delaying its application while that lowers the
objective. Applications that still finish after their plan are taken out, latest first, and
planned again on the days the others leave (a second time seeing their own first choice
placed), keeping the new labs when they cost less. The answer is the better of this and
greedy's.

Greedy (baseline and fallback). Samples by earliest due day, then application: each goes
whole (when a lab can do it all) to the lab where it would finish first given what is already
queued, then the cheapest; labs work first come, first served. The time limit is checked after
the greedy answer (once it has passed, that answer is returned with status
``greedy_time_limit``) and before applications are planned again (the plans are then kept).
"""

from portlab.transfers.routing.data import (
    Agreement,
    Assignment,
    Capability,
    Id,
    Instrument,
    Lab,
    RoutingInputError,
    RoutingNetwork,
    RoutingResult,
    RoutingStatus,
    TestRequest,
    TransportDays,
    UnplacedReason,
    UnplacedTest,
    Weights,
)
from portlab.transfers.routing.queues import predict_completion
from portlab.transfers.routing.solve import route, route_greedy

__all__ = [
    "Agreement",
    "Assignment",
    "Capability",
    "Id",
    "Instrument",
    "Lab",
    "RoutingInputError",
    "RoutingNetwork",
    "RoutingResult",
    "RoutingStatus",
    "TestRequest",
    "TransportDays",
    "UnplacedReason",
    "UnplacedTest",
    "Weights",
    "predict_completion",
    "route",
    "route_greedy",
]
