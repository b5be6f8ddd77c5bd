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

Model (OR-Tools SimpleMinCostFlow, an LP solved exactly), solved twice: round 1 with the
weights below (its optimum is the bound), round 2 with every test weighing S (it bounds
nothing, but asks every test, not only the critical one, to finish early).
A maximum is at least any weighted
mean: with integer weights ``w_t`` summing to at most ``S`` over each application's tests,
completion and tardiness of an application are at least ``sum_t w_t f(C_t) / S``. The
likeliest critical test (latest on an empty batch) weighs ~99 % of ``S``. Nodes: one per test
(supply 1); one per (queue, weight, slack) class, a queue being the capabilities of a lab that
share pools (or one capability with its own capacity), slack the last day a test is on time;
one per (queue, day) holding the room the backlog left that day, summed over the queue (a
relaxation: instruments and capabilities limit each day at most that much); the sink. Arcs:
test → class for each candidate lab, cost ``w (transport + turnaround) + price and shipment
share``; class → (queue, day), cost ``w (day + 4 × days late)``; and one arc per test straight
to the sink standing for every other allowed lab, at the least that test can cost there (its
earliest day with nothing of the batch ahead, its price and shipment share). Costs are points
× S rounded down.

Bound and gap. Every routing to any allowed lab, samples together or not and in any queue
order, maps to a flow of no greater cost (candidate labs to their days, any other lab to the
"elsewhere" arc), so the flow optimum / S bounds the objective from below over the whole
problem, not only the candidates; so does the no-queue bound (each application at its latest
test's earliest completion, each test at its least price and shipment share). Both add one
split for each sample no lab can do whole. ``bound`` is the larger and
``gap = (objective - bound) / objective`` a true optimality gap. Its weakness: the weighted
mean lets the relaxation put an application's other tests at cheap, slow labs, and it counts
no split a routing chooses, so it is loose where price, days and splits trade off (see the
tests' enumerated instances and the README).

Candidates. A sample that some lab can do whole may use the ``candidate_count`` such labs
where it would cost least on an empty batch; any other test its ``candidate_count`` cheapest
labs; each test also the lab the greedy answer chose. Labs the flow chose "elsewhere" join the
test's candidates for the next round.

From flow to routing. A test sent elsewhere goes to that lab. Two routings are scored: the
flow's labs as they are, and with each split sample moved whole to the lab (of those that can
do it all) that held most of it; in each, labs work heavier tests first, then each queue is
reordered by the day each test may leave it without delaying its application while that
lowers the objective. The answer is the best of these and greedy's.

Greedy (baseline and fallback). Samples by earliest due day, then application: each goes
whole (when a lab can do it all) to the lab where it would finish first given what is already
queued, then the cheapest; labs
work first come, first served. SimpleMinCostFlow cannot be interrupted (it holds the GIL and
has no time limit), so the limit is checked before the solver starts: once it has passed, the
greedy answer is returned with status ``greedy_time_limit``.
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
