"""One QC run records all its control levels at once, or nothing at all (issue #12, item 4)."""

import pytest
from django.test import Client
from django.utils import timezone

from portlab.core.errors import ApplicationError
from portlab.quality.models import Alert, QCResult, QCRun, QCRunTest
from portlab.quality.services import qc_run_record
from portlab.testing import services as workflow
from portlab.testing.results import ResultInput


def _record(staff, lab, lead, values: dict, **extra) -> QCRun:
    return qc_run_record(actor=staff["analyst"], lab=lab, test_item=lead, run_code="R7",
                         date="2026-03-01", values=values, **extra)


def test_one_run_records_both_levels(staff, lab, lead, lead_materials) -> None:
    run = _record(staff, lab, lead, {"PB-L1": "0.14", "PB-L2": "0.52"})
    assert run.status == QCRun.Status.REJECTED
    assert sorted(run.results.values_list("material__level", "status")) == [
        ("L1", "reject"), ("L2", "accept")]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"PB-L1": "0.10", "PB-L2": "abc"}, "values.PB-L2",
     "Control level L2 (PB-L2): “abc” is not a number."),
    ({"PB-L1": "0.10", "PB-L2": "-inf"}, "values.PB-L2",
     "Control level L2 (PB-L2): “-inf” is not a finite number."),
    ({}, "values", "Enter at least one control value."),
])
def test_a_bad_level_stores_nothing_and_the_code_stays_free(
        staff, lab, lead, lead_materials, values, field, message) -> None:
    with pytest.raises(ApplicationError) as caught:
        _record(staff, lab, lead, values)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert (QCRun.objects.count(), QCResult.objects.count(), Alert.objects.count()) == (0, 0, 0)
    assert _record(staff, lab, lead, {"PB-L1": "0.10"}).run_code == "R7"


def test_a_test_of_another_item_refuses_the_whole_run(staff, lab, lead, salmonella,
                                                     lead_materials, assigned_test) -> None:
    assigned_test.test_item = salmonella
    assigned_test.save(update_fields=["test_item"])
    with pytest.raises(ApplicationError) as caught:
        _record(staff, lab, lead, {"PB-L1": "0.10"}, test_ids=[assigned_test.pk])
    assert caught.value.field == "tests"
    assert QCRun.objects.count() == 0


def test_the_run_covers_chosen_tests_and_those_of_its_date(staff, lab, lead, lead_materials,
                                                           assigned_test) -> None:
    workflow.result_enter(actor=staff["analyst"], test=assigned_test,
                          data=ResultInput(kind="numeric", value="0.05", uncertainty="0.01"))
    today = timezone.localdate().isoformat()
    run = qc_run_record(actor=staff["analyst"], lab=lab, test_item=lead, run_code="R8",
                        date=today, values={"PB-L1": "0.1"}, cover_run_date=True)
    assert list(QCRunTest.objects.filter(run=run).values_list("test_id", flat=True)) == [
        assigned_test.pk]
    other_day = _record(staff, lab, lead, {"PB-L1": "0.1"}, cover_run_date=True)
    assert other_day.links.count() == 0


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_keeps_what_was_typed_and_names_the_level(staff, lab, lead, lead_materials):
    l1, l2 = lead_materials
    form = {"lab": lab.pk, "test_item": lead.pk, "run_code": "R9", "date": "2026-03-02",
            f"value_{l1.pk}": "0.101", f"value_{l2.pk}": "0,5x"}
    response = _client(staff["analyst"]).post("/quality/qc/runs/", form,
                                              HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 422
    assert "控制水平 L2（PB-L2）：“0,5x”不是数字。" in body
    assert 'value="0.101"' in body and 'value="0,5x"' in body and 'value="R9"' in body
    assert QCRun.objects.count() == 0


def test_the_page_records_two_levels_in_one_run(staff, lab, lead, lead_materials) -> None:
    l1, l2 = lead_materials
    form = {"lab": lab.pk, "test_item": lead.pk, "run_code": "R9", "date": "2026-03-02",
            f"value_{l1.pk}": "0.101", f"value_{l2.pk}": "0.49"}
    response = _client(staff["analyst"]).post("/quality/qc/runs/", form)
    assert response.status_code == 302
    run = QCRun.objects.get()
    assert (run.run_code, run.status, run.results.count()) == ("R9", "accepted", 2)


def test_the_page_answers_404_for_another_labs_materials(staff, lab, lead, lead_materials,
                                                         other_lab_user) -> None:
    form = {"lab": lab.pk, "test_item": lead.pk, "run_code": "R9", "date": "2026-03-02"}
    response = _client(other_lab_user).post("/quality/qc/runs/", form)
    assert response.status_code in (403, 404)
    assert QCRun.objects.count() == 0
