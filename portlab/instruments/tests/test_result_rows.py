"""Results typed in many rows of the analyst's worklist: all stored or none, every refused row
named, everything typed shown again; the QC run chosen on the form is linked to the test."""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from conftest import PASSWORD
from portlab.intake.services import SampleInput, application_register
from portlab.network.models import Capability
from portlab.quality.models import QCRunTest
from portlab.quality.services import qc_run_create
from portlab.testing import services
from portlab.testing.models import Result, Test
from portlab.testing.reception import sample_receive


@pytest.fixture
def two_tests(staff, lab, lead, rice, enterprise) -> list[Test]:
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description="大米 1"), SampleInput(description="大米 2")])
    for sample in application.samples.all():
        sample_receive(actor=staff["clerk"], sample=sample)
    tests = list(Test.objects.order_by("sample__number"))
    for test in tests:
        services.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    return list(Test.objects.order_by("sample__number"))


def posted(tests: list[Test], values: list[str], **extra: str) -> dict:
    form: dict = {"row": [t.pk for t in tests], "next": "sort=-due"}
    for test, value in zip(tests, values, strict=True):
        form |= {f"kind_{test.pk}": "numeric", f"value_{test.pk}": value,
                 f"unit_{test.pk}": "mg/kg", f"version_{test.pk}": test.version}
    return form | extra


def analyst(staff, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username="analyst", password=PASSWORD)
    return client


def test_all_rows_are_stored_and_the_list_comes_back_as_it_was(staff, two_tests) -> None:
    response = analyst(staff).post("/testing/tests/results/",
                                   posted(two_tests, ["0.041", "0.12"]))
    assert response.status_code == 302
    assert response["Location"] == "/testing/mine/?status=assigned&sort=-due#worklist"
    assert list(Result.objects.order_by("test__sample__number")
                .values_list("reported_value", flat=True)) == ["0.041", "0.12"]
    assert set(Test.objects.values_list("status", flat=True)) == {"resulted"}


@pytest.mark.parametrize(("typed", "reason"), [
    ("-0.2", "“-0.2” cannot be right: a content or concentration is never negative."),
    ("0.001", "0.001 mg/kg is below the limit of detection (0.005 mg/kg): report it as “< LOD”."),
    ("abc", "“abc” is not a number."),
])
def test_one_impossible_row_stores_nothing_names_the_row_and_keeps_every_value(
        staff, two_tests, typed, reason) -> None:
    response = analyst(staff).post("/testing/tests/results/",
                                   posted(two_tests, ["0.041", typed]))
    page = response.content.decode()
    assert response.status_code == 200
    bad = two_tests[1]
    message = escape(f"Sample {bad.sample.number}, Lead: {reason}")
    assert f'<p class="error" role="alert" id="error-{bad.pk}">{message}</p>' in page
    assert f'name="value_{two_tests[0].pk}" value="0.041"' in page
    assert f'name="value_{bad.pk}" value="{typed}"' in page
    assert not Result.objects.exists()
    assert set(Test.objects.values_list("status", flat=True)) == {"assigned"}


def test_a_unit_of_another_dimension_is_named_in_chinese_and_kept(staff, two_tests) -> None:
    form = posted(two_tests, ["0.041", "0.05"])
    form[f"unit_{two_tests[1].pk}"] = "mL"
    page = analyst(staff, "zh-hans").post("/testing/tests/results/", form).content.decode()
    assert f"样品 {two_tests[1].sample.number}，铅：" in page
    assert f'name="unit_{two_tests[1].pk}" value="mL"' in page
    assert not Result.objects.exists()


def test_another_labs_test_in_the_form_is_not_found_and_nothing_is_stored(
        staff, two_tests, other_lab) -> None:
    foreign = Test.objects.create(
        sample=two_tests[0].sample, test_item=two_tests[0].test_item, lab=other_lab,
        capability=Capability.objects.get(), due_date=timezone.localdate(),
        created_at=timezone.now(), status="assigned", analyst=staff["analyst"])
    form = posted([*two_tests, foreign], ["0.041", "0.05", "0.06"])
    page = analyst(staff).post("/testing/tests/results/", form).content.decode()
    assert f"Test {foreign.pk}: not found." in page
    assert not Result.objects.exists()


def test_an_empty_form_asks_for_a_result(staff, two_tests) -> None:
    page = analyst(staff).post("/testing/tests/results/", posted(two_tests, ["", ""]))
    assert "Type a result in at least one row." in page.content.decode()


def test_the_qc_run_chosen_on_the_form_is_linked_to_the_test(staff, two_tests, lab,
                                                              lead) -> None:
    run = qc_run_create(actor=staff["analyst"], lab=lab, test_item=lead, run_code="PB-1125-A",
                        date=timezone.localdate().isoformat())
    client = analyst(staff)
    page = client.get("/testing/mine/").content.decode()
    assert f'<option value="{run.pk}">PB-1125-A' in page
    form = posted(two_tests, ["0.041", ""], **{f"qc_run_{two_tests[0].pk}": str(run.pk)})
    client.post("/testing/tests/results/", form)
    assert list(QCRunTest.objects.values_list("run__run_code", "test_id")) == [
        ("PB-1125-A", two_tests[0].pk)]
    assert Result.objects.get().test_id == two_tests[0].pk


def test_an_attached_file_is_stored_linked_and_downloadable(staff, two_tests, file_store) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portlab.audit.models import AuditEvent

    test = two_tests[0]
    form = posted([test], ["0.052"]) | {
        f"raw_file_{test.pk}": SimpleUploadedFile("pb-0318.txt", b"Pb 208 0.052 mg/kg\n")}
    client = analyst(staff)
    response = client.post("/testing/tests/results/", form)
    assert response.status_code == 302
    raw = Result.objects.get(test=test).raw_file
    assert (raw.name, raw.size) == ("pb-0318.txt", 19)
    assert AuditEvent.objects.filter(action="rawfile_store").count() == 1
    download = client.get(f"/instruments/raw/{raw.sha256}/")
    assert download.content == b"Pb 208 0.052 mg/kg\n"
    reviewer = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert reviewer.login(username="reviewer", password=PASSWORD)
    queue = reviewer.get("/testing/review/").content.decode()
    assert f'href="/instruments/raw/{raw.sha256}/">Raw data file</a>' in queue


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "the attached file pb.txt is empty."),
    (b"x" * (20 * 1024 * 1024 + 1), "the attached file pb.txt is larger than 20 MB.")])
def test_an_empty_or_too_large_attachment_names_the_row_keeps_the_value_stores_nothing(
        staff, two_tests, file_store, content, reason) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portlab.files.models import RawFile

    test = two_tests[0]
    form = posted([test], ["0.052"]) | {
        f"raw_file_{test.pk}": SimpleUploadedFile("pb.txt", content)}
    page = analyst(staff).post("/testing/tests/results/", form).content.decode()
    assert escape(f"Sample {test.sample.number}, Lead: {reason}") in page
    assert 'value="0.052"' in page
    assert not Result.objects.exists() and not RawFile.objects.exists()
