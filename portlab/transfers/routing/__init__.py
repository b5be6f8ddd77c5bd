"""Routing: send each test of a batch to a lab of the network (pure Python, no Django).

Rules. A test may go to a lab only when the lab holds the capability for its test item, is
accredited for it when the application requires accreditation, and is the origin lab or is
named by a recognition agreement of the origin lab (for that item or for every item). Labs
with zero daily capacity take nothing. A test no lab may take is returned in ``unplaced`` with
the first rule that failed: unknown test item, unknown origin lab, no capability, no
accreditation, no agreement, no capacity. Every test of the batch ends up either assigned or
unplaced; input that no routing can use (duplicate ids, negative numbers, references to
unknown labs) raises RoutingInputError before anything is routed.

Queue model. Lab ``l`` works ``c_l`` tests a day and has ``b_l`` tests waiting. The test at
position ``p`` of its batch queue finishes on day
``transport(origin city, lab city) + ceil((b_l + p) / c_l) + turnaround``
(transport is 0 at the origin lab itself). An application finishes with its latest test.

Objective. Minimise the sum over applications of their completion day, then the price,
keeping the tests of one sample at one lab whenever some lab can do them all.

Model (OR-Tools SimpleMinCostFlow, solved exactly). A sum of maxima is not a flow cost, but a
maximum is at least any weighted mean: with integer weights ``w_t`` summing to at most ``S``
over each application's tests, ``sum_app max_t C_t >= sum_t w_t C_t / S``, a weighted sum of
test completion days that a flow minimises exactly. Each application's likeliest critical
test (the latest to finish on an empty batch) weighs ~99% of ``S``, the others share the
rest, so the flow serves the tests that decide an application's day first. Nodes: one per test
(supply 1); one per (lab, weight); one per (lab, day) whose arc to the sink holds the room
left that day (``day * c - b`` on the first free day, then ``c``); the sink. Arcs: test →
(lab, w) per candidate lab, cost ``w * (transport + turnaround)``; (lab, w) → (lab, day), cost
``w * day``. Time costs are scaled so that a test's whole price range (in 10,000 steps) weighs
less than one unit of its own time: price only breaks ties. Flow integrality gives each test
one lab and one day.

Candidates. A sample that some lab can do whole may use its ``candidate_count`` such labs that
would finish it first on an empty batch; any other test its ``candidate_count`` first labs;
each test also the lab the greedy answer chose, so the model can always match greedy.

Bound and gap. Every routing that uses candidate labs, with samples together or not and in any
queue order, is a feasible flow, so the flow optimum / S is a lower bound on its sum of
application completion days (less the price steps, at most one weight unit per test). So is
the no-queue bound (each application's latest test at its earliest allowed lab, ignoring the
batch's own queueing), which holds for every routing. ``bound`` is the larger of the two and
``gap = (objective - bound) / objective``.

From flow to routing. A sample the flow split goes whole to the lab that held most of it
(ties: earliest finish, then price). Each lab works heavier tests first, then its queue is
reordered by the day each test may leave it without delaying its application (earliest
first) while that lowers the objective. The answer is the better of this and greedy's.

Greedy (baseline and fallback). Samples by earliest due day, then application: each goes to
the lab where it would finish first given what is already queued, then the cheapest; labs
work first come, first served. SimpleMinCostFlow cannot be interrupted (it holds the GIL and
has no time limit), so the limit is checked before the solver starts: once it has passed, the
greedy answer is returned with status ``greedy_time_limit``. The due day orders greedy and
marks late tests; it is not in the objective.
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
