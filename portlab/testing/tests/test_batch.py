"""results_enter_first (instrument file imports) must leave exactly what result_enter, called
once per test, leaves: the same results, workflow states and audit events."""

import pytest

from portlab.audit.models import AuditEvent
from portlab.audit.verification import audit_verify
from portlab.core.errors import ConflictError
from portlab.instruments.tests.conftest import make_assigned_tests
from portlab.testing.batch import EntryError, FirstEntry, results_enter_first
from portlab.testing.models import Result, Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter

VALUES = ["0.041", "41 ", "0.26"]
UNITS = ["mg/kg", "μg/kg", "mg/kg"]


@pytest.fixture
def tests(staff, lab, lead, rice, enterprise) -> list[Test]:
    return make_assigned_tests(staff, lab, lead, rice, enterprise, ["B1", "B2", "B3"])


def inputs() -> list[ResultInput]:
    return [ResultInput(kind="numeric", value=value, unit=unit, uncertainty="0.004")
            for value, unit in zip(VALUES, UNITS, strict=True)]


def outcome(tests: list[Test]) -> tuple[list, list, list]:
    """What a reader of the database sees about these tests, without ids and times."""
    results = [Result.objects.values("kind", "entered_value", "entered_unit", "value", "unit",
                                     "uncertainty", "conformity", "decision_rule",
                                     "entered_by__username").get(test=test) for test in tests]
    rows = list(Test.objects.filter(pk__in=[t.pk for t in tests]).order_by("pk")
                .select_related("sample__application"))
    states = [(test.status, test.version, test.sample.status, test.sample.version,
               test.sample.application.status, test.sample.application.version)
              for test in rows]
    entities = ({("test", str(test.pk)) for test in rows}
                | {("sample", str(test.sample_id)) for test in rows}
                | {("application", str(test.sample.application_id)) for test in rows})
    events = sorted(
        (event.action, event.actor_name, str(event.before),
         str({**event.after, "result": "same"} if "result" in (event.after or {}) else event.after))
        for event in AuditEvent.objects.filter(
            action__in=("result_submit", "sample_status", "application_status"))
        if (event.entity_type, event.entity_id) in entities)
    submitted = [AuditEvent.objects.get(action="result_submit", entity_id=str(test.pk))
                 .after["result"] for test in rows]
    return results, states, events + submitted


def test_batch_entry_leaves_what_entering_one_by_one_leaves(staff, lab, lead, rice,
                                                            enterprise) -> None:
    batch = make_assigned_tests(staff, lab, lead, rice, enterprise, ["B1", "B2", "B3"])
    single = make_assigned_tests(staff, lab, lead, rice, enterprise, ["C1", "C2", "C3"])
    results_enter_first([FirstEntry(test=test, actor=staff["analyst"], data=data)
                         for test, data in zip(batch, inputs(), strict=True)])
    for test, data in zip(single, inputs(), strict=True):
        result_enter(actor=staff["analyst"], test=test, data=data)
    assert outcome(batch) == outcome(single)
    results, states, _events = outcome(batch)
    assert [row["conformity"] for row in results] == ["pass", "pass", "fail"]
    assert [state[2] for state in states] == ["in_review"] * 3
    assert states[0][4] == "in_review"
    report = audit_verify()
    assert (report.events, report.findings) == (AuditEvent.objects.count(), [])


def test_a_refused_entry_is_named_and_nothing_is_stored(staff, tests) -> None:
    data = inputs()
    data[1] = ResultInput(kind="numeric", value="0.3", unit="furlong")
    events = AuditEvent.objects.count()
    with pytest.raises(EntryError) as caught:
        results_enter_first([FirstEntry(test=test, actor=staff["analyst"], data=entry)
                             for test, entry in zip(tests, data, strict=True)])
    assert caught.value.index == 1
    assert caught.value.error.message == "Unit “furlong” cannot be reported as “mg/kg”."
    assert (Result.objects.count(), AuditEvent.objects.count()) == (0, events)
    assert set(Test.objects.values_list("status", flat=True)) == {"assigned"}


def test_only_the_assigned_analyst_enters(staff, tests) -> None:
    with pytest.raises(EntryError) as caught:
        results_enter_first([FirstEntry(test=tests[0], actor=staff["reviewer"],
                                        data=inputs()[0])])
    assert caught.value.error.message == (
        f"You need the role “Analyst” at {tests[0].lab.name} for this.")


def test_a_test_changed_meanwhile_is_a_conflict(staff, tests) -> None:
    stale = list(Test.objects.filter(pk__in=[t.pk for t in tests]).order_by("pk")
                 .select_related("sample__application", "lab", "capability", "test_item"))
    result_enter(actor=staff["analyst"], test=tests[2], data=inputs()[2])
    Result.objects.filter(test=tests[2]).delete()  # as if another import raced this one
    with pytest.raises(ConflictError):
        results_enter_first([FirstEntry(test=test, actor=staff["analyst"], data=data)
                             for test, data in zip(stale, inputs(), strict=True)])
    assert Result.objects.count() == 0
    assert list(Test.objects.order_by("pk").values_list("status", flat=True)) == [
        "assigned", "assigned", "resulted"]


def test_a_returned_test_is_not_overwritten(staff, tests) -> None:
    result_enter(actor=staff["analyst"], test=tests[0], data=inputs()[0])
    Test.objects.filter(pk=tests[0].pk).update(status="assigned")  # sent back by a reviewer
    tests[0].refresh_from_db()
    with pytest.raises(EntryError) as caught:
        results_enter_first([FirstEntry(test=tests[0], actor=staff["analyst"],
                                        data=inputs()[1])])
    assert caught.value.error.message == "Changing a submitted result needs a reason."
    assert Result.objects.get(test=tests[0]).entered_value == "0.041"
