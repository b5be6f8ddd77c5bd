"""A lab manager imports a result file on the instrument's page: one row matches its test,
the other names a sample code with a typo and is held. The manager follows the job page,
matches the held row to its test from the held-row queue, and the analyst confirms both
values as their results."""

import pytest

from conftest import run_queued_jobs
from portlab.instruments.models import ImportRow
from portlab.instruments.tests.conftest import calibrate, make_assigned_tests, register
from portlab.testing.models import Result
from tests.e2e.test_report_verification import log_in

pytestmark = pytest.mark.e2e

# Generic CSV export; "TJ24O318002" has a letter O where the label has a zero.
EXPORT = b"sample_id,analyte,value,unit\nTJ240318001,PB,0.041,mg/kg\nTJ24O318002,PB,0.12,mg/kg\n"


def test_manager_imports_matches_the_held_row_and_the_analyst_confirms(
        live_server, browser, screenshots, tmp_path, staff, lab, lead, rice, enterprise,
        file_store) -> None:
    instrument = register(staff, lab)
    calibrate(staff, instrument)
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240318001", "TJ240318002"])
    export = tmp_path / "icpms-run-0318.csv"
    export.write_bytes(EXPORT)
    files_url = f"{live_server.url}/instruments/{instrument.asset_number}/files/"

    page = log_in(browser, live_server.url, "manager", "zh-hans")
    page.goto(files_url)
    page.set_input_files("input[name=file]", str(export))
    with page.expect_navigation():
        page.click("button:has-text('导入')")
    assert "/jobs/" in page.url
    run_queued_jobs()  # what the worker does
    page.reload()
    assert page.locator("#job_state").inner_text() == "已完成"
    assert page.locator("#job_outcome").inner_text().split("\n") == [
        "行数", "2", "待确认", "1", "待处理", "1", "已录入", "0", "已剔除", "0"]
    assert page.locator("#job_message").inner_text() == (
        "icpms-run-0318.csv 已导入：待处理的行见该仪器的结果文件页")
    page.screenshot(path=screenshots / "result-import-job.zh.png", full_page=True)

    page.goto(files_url)
    with page.expect_navigation():
        page.click("a:has-text('icpms-run-0318.csv')")
    held = page.locator("#import-rows").inner_text()
    assert "TJ24O318002" in held and "样品不存在" in held
    assert "上传者 manager" in page.locator("main").inner_text()
    page.screenshot(path=screenshots / "result-import.zh.png", full_page=True)
    page.fill("#import-rows input[name=sample]", "TJ240318002")
    with page.expect_navigation():
        page.click("#import-rows button:has-text('匹配')")
    assert "第 3 行已匹配，待检测员确认。" in page.locator(".messages").inner_text()
    assert ImportRow.objects.filter(status="matched").count() == 2

    analyst = log_in(browser, live_server.url, "analyst", "en")
    analyst.goto(page.url)
    analyst.screenshot(path=screenshots / "result-import.en.png", full_page=True)
    with analyst.expect_navigation():
        analyst.click("#confirm-mine")
    assert "Your values are now your results." in analyst.locator(".messages").inner_text()
    assert analyst.locator("#import-summary").inner_text().split("\n")[-1].split("\t") == [
        "2", "0", "0", "2", "0"]  # rows; awaiting confirmation, held, entered, rejected
    assert sorted(Result.objects.values_list("test__sample__barcode", "entered_value",
                                             "produced_by__username",
                                             "confirmed_by__username")) == [
        ("TJ240318001", "0.041", "manager", "analyst"),
        ("TJ240318002", "0.12", "manager", "analyst")]
