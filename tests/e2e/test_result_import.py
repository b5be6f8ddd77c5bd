"""A lab manager imports an instrument's result file in the browser: the job page follows it,
the file's page shows every row (held rows with their reason), a held row is matched, and the
analyst confirms the values as their results."""

import pytest

from conftest import run_queued_jobs
from portlab.instruments.models import ImportRow
from portlab.instruments.tests.conftest import FIXTURES, calibrate, make_assigned_tests, register
from portlab.testing.models import Result
from tests.e2e.test_report_verification import log_in

pytestmark = pytest.mark.e2e


def test_an_import_is_accounted_for_row_by_row(live_server, browser, screenshots, file_store,
                                               staff, lab, lead, rice, enterprise) -> None:
    instrument = register(staff, lab)
    calibrate(staff, instrument)
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001"])
    page = log_in(browser, live_server.url, "manager", "zh-hans")
    page.goto(f"{live_server.url}/instruments/{instrument.asset_number}/files/")
    page.set_input_files("input[name=file]", FIXTURES / "icpms_masshunter_quant.csv")
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert "/jobs/" in page.url
    run_queued_jobs()
    page.goto(f"{live_server.url}/instruments/{instrument.asset_number}/files/")
    with page.expect_navigation():
        page.click("text=icpms_masshunter_quant.csv")
    assert "样品不存在" in page.locator("#import-rows").inner_text()
    page.screenshot(path=screenshots / "import-held-rows.zh.png", full_page=True)
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315002"])
    row = ImportRow.objects.get(line=15, analyte="Pb")
    with page.expect_navigation():
        page.click(f"form[action='/instruments/rows/{row.pk}/match/'] button")
    assert "第 15 行已匹配，待检测员确认。" in page.locator(".messages").inner_text()
    analyst = log_in(browser, live_server.url, "analyst", "en")
    analyst.goto(page.url)
    with analyst.expect_navigation():
        analyst.click("#confirm-mine")
    assert "Your values are now your results." in analyst.locator(".messages").inner_text()
    analyst.goto(page.url + "?status=entered")
    analyst.screenshot(path=screenshots / "import-entered.en.png", full_page=True)
    assert Result.objects.count() == 2
