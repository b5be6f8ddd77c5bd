import datetime

import pytest
from django.test import Client

from conftest import SIGNED
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.quality.models import Alert, QCResult, QCRun
from portlab.quality.selectors import qc_blocks_for_tests
from portlab.quality.services import (
    corrective_action_open,
    qc_results_record,
    qc_run_create,
    qc_run_link_tests,
    record_close,
)
from portlab.testing import services as workflow
from portlab.testing.models import Test
from portlab.testing.results import ResultInput


def _run(staff, lab, lead, code: str, day: int, values: dict) -> QCRun:
    run = qc_run_create(actor=staff["analyst"], lab=lab, test_item=lead, run_code=code,
                        date=datetime.date(2026, 3, day))
    return qc_results_record(actor=staff["analyst"], run=run, values=values)


def test_values_within_limits_accept_the_run(staff, lab, lead, lead_materials) -> None:
    run = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.105", "PB-L2": "0.48"})
    assert run.status == QCRun.Status.ACCEPTED
    results = {r.material.code: r for r in run.results.select_related("material")}
    assert results["PB-L1"].z == pytest.approx(0.5)
    assert results["PB-L2"].z == pytest.approx(-0.4)
    assert (results["PB-L1"].rules, results["PB-L1"].status) == ([], "accept")


def test_one_point_beyond_3s_rejects_and_raises_an_alert(staff, lab, lead, lead_materials):
    run = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.135", "PB-L2": "0.5"})
    assert run.status == QCRun.Status.REJECTED
    point = QCResult.objects.get(run=run, material__code="PB-L1")
    assert point.rules == ["1-2s", "1-3s"]
    alert = Alert.objects.get()
    assert (alert.kind, alert.lab, alert.subject) == ("qc_rejected", lab, "R1 · PB")
    assert alert.message.startswith("QC run R1 · PB was rejected (1-2s, 1-3s)")


def test_2_2s_across_runs_uses_the_material_history(staff, lab, lead, lead_materials) -> None:
    first = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.125"})
    assert first.status == QCRun.Status.WARNING
    second = _run(staff, lab, lead, "R2", 2, {"PB-L1": "0.124"})
    assert second.status == QCRun.Status.REJECTED
    assert QCResult.objects.get(run=second).rules == ["1-2s", "2-2s"]


def test_unknown_material_is_a_clear_error_and_nothing_is_written(staff, lab, lead,
                                                                  lead_materials) -> None:
    run = qc_run_create(actor=staff["analyst"], lab=lab, test_item=lead, run_code="R1",
                        date="2026-03-01")
    with pytest.raises(ApplicationError) as caught:
        qc_results_record(actor=staff["analyst"], run=run,
                          values={"PB-L1": "0.1", "PB-L9": "0.2"})
    assert caught.value.field == "values.PB-L9"
    assert caught.value.message == ("Unknown control material “PB-L9” for Lead at Tianjin "
                                    "Customs Technology Center.")
    assert QCResult.objects.count() == 0


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"PB-L1": "abc"}, "values.PB-L1", "Control level L1 (PB-L1): “abc” is not a number."),
    ({"PB-L1": "nan"}, "values.PB-L1",
     "Control level L1 (PB-L1): “nan” is not a finite number."),
    ({}, "values", "Enter at least one control value."),
])
def test_bad_values(staff, lab, lead, lead_materials, values, field, message) -> None:
    run = qc_run_create(actor=staff["analyst"], lab=lab, test_item=lead, run_code="R1",
                        date="2026-03-01")
    with pytest.raises(ApplicationError) as caught:
        qc_results_record(actor=staff["analyst"], run=run, values=values)
    assert (caught.value.field, caught.value.message) == (field, message)
    run.refresh_from_db()
    assert run.status == QCRun.Status.PENDING


def test_values_are_recorded_once(staff, lab, lead, lead_materials) -> None:
    run = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.1"})
    with pytest.raises(ApplicationError) as caught:
        qc_results_record(actor=staff["analyst"], run=run, values={"PB-L2": "0.5"})
    assert caught.value.field == "run"


def test_duplicate_run_code_is_refused(staff, lab, lead, lead_materials) -> None:
    _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.1"})
    with pytest.raises(ApplicationError) as caught:
        qc_run_create(actor=staff["analyst"], lab=lab, test_item=lead, run_code="R1",
                      date="2026-03-02")
    assert caught.value.field == "run_code"


@pytest.fixture
def reviewed_test(staff, assigned_test) -> Test:
    workflow.result_enter(actor=staff["analyst"], test=assigned_test,
                          data=ResultInput(kind="numeric", value="0.05", uncertainty="0.01"))
    workflow.test_review(actor=staff["reviewer"], test=assigned_test, decision="accept",
                         expected_version=assigned_test.version, credential=SIGNED)
    return assigned_test


def _approve(staff, test: Test) -> None:
    workflow.test_approve(actor=staff["signatory"], test=test, decision="accept",
                          expected_version=test.version, credential=SIGNED)


def test_rejected_run_blocks_approval_until_its_action_is_closed(
        staff, lab, lead, lead_materials, quality_manager, reviewed_test) -> None:
    run = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.14"})
    assert qc_run_link_tests(actor=staff["analyst"], run=run, tests=[reviewed_test]) == 1
    blocked = ("QC run R1 of this test was rejected (2026-03-01): approval waits until the "
               "quality manager closes its corrective action.")
    with pytest.raises(ApplicationError) as caught:
        _approve(staff, reviewed_test)
    assert (caught.value.field, caught.value.message) == ("qc_run", blocked)
    action = corrective_action_open(actor=quality_manager, subject=run, title="Recalibrate",
                                    owner=staff["analyst"], due_date="2026-03-05",
                                    root_cause="graphite tube worn")
    with pytest.raises(ApplicationError) as still:  # an open action is not enough
        _approve(staff, reviewed_test)
    assert still.value.message == blocked
    with pytest.raises(PermissionDenied):  # the owner alone may not release the results
        record_close(actor=staff["analyst"], record=action, evidence="tube replaced")
    assert qc_blocks_for_tests([reviewed_test.pk]) == {reviewed_test.pk: run}
    record_close(actor=quality_manager, record=action, evidence="tube replaced, L1 re-run 0.101")
    assert qc_blocks_for_tests([reviewed_test.pk]) == {}
    _approve(staff, reviewed_test)
    reviewed_test.refresh_from_db()
    assert reviewed_test.status == Test.Status.APPROVED


def test_a_rejected_run_does_not_stop_sending_the_result_back(
        staff, lab, lead, lead_materials, reviewed_test) -> None:
    run = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.14"})
    qc_run_link_tests(actor=staff["analyst"], run=run, tests=[reviewed_test])
    workflow.test_approve(actor=staff["signatory"], test=reviewed_test, decision="return",
                          comment="QC rejected, repeat",
                          expected_version=reviewed_test.version, credential=SIGNED)
    assert reviewed_test.status == Test.Status.ASSIGNED


def test_warning_run_does_not_block_approval(staff, lab, lead, lead_materials,
                                             reviewed_test) -> None:
    run = _run(staff, lab, lead, "R1", 1, {"PB-L1": "0.125"})
    qc_run_link_tests(actor=staff["analyst"], run=run, tests=[reviewed_test])
    workflow.test_approve(actor=staff["signatory"], test=reviewed_test, decision="accept",
                          expected_version=reviewed_test.version, credential=SIGNED)
    assert reviewed_test.status == Test.Status.APPROVED


def test_a_run_links_only_tests_of_its_lab_and_item(staff, lab, lead, salmonella,
                                                    lead_materials, reviewed_test) -> None:
    run = qc_run_create(actor=staff["analyst"], lab=lab, test_item=salmonella, run_code="S1",
                        date="2026-03-01")
    with pytest.raises(ApplicationError) as caught:
        qc_run_link_tests(actor=staff["analyst"], run=run, tests=[reviewed_test])
    assert caught.value.field == "tests"


def test_material_page_draws_a_levey_jennings_chart(staff, lab, lead, lead_materials) -> None:
    for day, value in ((1, "0.1"), (2, "0.112"), (3, "0.135")):
        _run(staff, lab, lead, f"R{day}", day, {"PB-L1": value})
    client = Client()
    client.force_login(staff["analyst"])
    response = client.get(f"/quality/qc/materials/{lead_materials[0].pk}/",
                          HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<circle") == 3
    assert 'fill="#b42318"' in body  # the rejected point
    assert "Levey–Jennings chart of PB-L1" in body
