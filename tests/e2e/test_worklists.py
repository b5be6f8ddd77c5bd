"""Worklists in the browser: an analyst types a batch of results with one impossible value (the
error names the row, every typed value stays, nothing is stored); a reviewer returns one test
and the analyst sees why and who; a bulk review with one stale test does the others and lists
the refused one."""

import pytest

from portlab.intake.services import SampleInput, application_register
from portlab.testing import services as testing
from portlab.testing.models import Result, Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput
from tests.e2e.test_report_verification import PASSWORD, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def three_assigned(staff, lab, lead, rice, enterprise) -> list[Test]:
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="泰国茉莉香米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description=f"大米 {n} kg") for n in (1, 2, 3)])
    for sample in application.samples.order_by("number"):
        sample_receive(actor=staff["clerk"], sample=sample)
    for test in Test.objects.all():
        testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    return list(Test.objects.order_by("sample__number"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_analyst_enters_a_batch_with_one_impossible_value(
        live_server, browser, screenshots, staff, three_assigned, language) -> None:
    page = log_in(browser, live_server.url, "analyst", language)
    page.goto(f"{live_server.url}/testing/mine/")
    typed = {three_assigned[0].pk: "0.041", three_assigned[1].pk: "-0.2",
             three_assigned[2].pk: "0.12"}
    for test_id, value in typed.items():
        page.fill(f"input[name=value_{test_id}]", value)
    page.locator("#bulk button").click()
    page.wait_for_load_state()
    bad = three_assigned[1]
    error = page.locator(f"#error-{bad.pk}").inner_text()
    if language == "en":
        assert error == (f"Sample {bad.sample.number}, Lead: “-0.2” cannot be right: a content "
                         "or concentration is never negative.")
    else:
        assert error.startswith(f"样品 {bad.sample.number}，铅：")
    for test_id, value in typed.items():
        assert page.input_value(f"input[name=value_{test_id}]") == value
    assert not Result.objects.exists()
    suffix = "en" if language == "en" else "zh"
    page.screenshot(path=screenshots / f"result-batch-error.{suffix}.png", full_page=True)

    page.fill(f"input[name=value_{bad.pk}]", "0.02")
    page.locator("#bulk button").click()
    page.wait_for_load_state()
    assert list(Result.objects.order_by("test__sample__number")
                .values_list("reported_value", flat=True)) == ["0.041", "0.02", "0.12"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_reviewer_returns_one_and_the_analyst_sees_why(
        live_server, browser, screenshots, staff, three_assigned, language) -> None:
    for test in three_assigned:
        testing.result_enter(actor=staff["analyst"], test=test,
                             data=ResultInput(kind="numeric", value="0.041"))
    returned = three_assigned[0]
    reviewer = log_in(browser, live_server.url, "reviewer", language)
    reviewer.goto(f"{live_server.url}/testing/review/")
    row = reviewer.locator(f"tr[data-test='{returned.pk}']")
    row.locator("select[name=decision]").select_option("return")
    row.locator("input[name=comment]").fill("空白加标回收率 62 %，请重测")
    row.locator("button").click()
    reviewer.wait_for_load_state()
    returned.refresh_from_db()
    assert returned.status == Test.Status.ASSIGNED

    analyst = log_in(browser, live_server.url, "analyst", language)
    analyst.goto(f"{live_server.url}/testing/mine/")
    note = analyst.locator(f"tr[data-test='{returned.pk}'] p.returned").inner_text()
    if language == "en":
        assert note == "Returned by reviewer: “空白加标回收率 62 %，请重测”"
    else:
        assert note == "已驳回 驳回人 reviewer：“空白加标回收率 62 %，请重测”"
    suffix = "en" if language == "en" else "zh"
    analyst.screenshot(path=screenshots / f"returned-flag.{suffix}.png", full_page=True)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bulk_review_with_one_refusal_does_the_others(
        live_server, browser, screenshots, staff, three_assigned, language) -> None:
    for test in three_assigned:
        testing.result_enter(actor=staff["analyst"], test=test,
                             data=ResultInput(kind="numeric", value="0.041"))
    reviewer = log_in(browser, live_server.url, "reviewer", language)
    reviewer.goto(f"{live_server.url}/testing/review/")
    reviewer.locator("input[data-tick-all]").check()
    stale = three_assigned[2]
    stale.refresh_from_db()
    testing.result_enter(actor=staff["analyst"], test=stale, reason="transcription",
                         expected_version=stale.result.version,
                         data=ResultInput(kind="numeric", value="0.9"))
    reviewer.locator("#bulk input[name=password]").fill(PASSWORD)
    reviewer.locator("#bulk button").click()
    reviewer.wait_for_load_state()
    messages = reviewer.locator(".messages").inner_text()
    if language == "en":
        assert "2 test(s) reviewed under one signature." in messages
        assert f"{stale.sample.number} · Lead not done: Test {stale.pk} changed" in messages
    else:
        assert "2 项检测已复核（一次签名）。" in messages
        assert (f"{stale.sample.number} · 铅 未办理：检测任务 {stale.pk} 在您打开后已被修改"
                in messages)
    assert list(Test.objects.order_by("sample__number").values_list("status", flat=True)) == [
        "reviewed", "reviewed", "resulted"]
    suffix = "en" if language == "en" else "zh"
    reviewer.screenshot(path=screenshots / f"bulk-refusal.{suffix}.png", full_page=True)
