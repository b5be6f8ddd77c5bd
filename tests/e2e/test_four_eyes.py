"""Four-eyes in the browser: the reviewer who loaded 0.041 cannot accept 0.9 (the page says
what the result is now and who entered it); a ticked batch is reviewed and approved with one
signature each, by two different people."""

import pytest

from portlab.intake.models import Application
from portlab.testing import services as testing
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput
from tests.e2e.test_report_verification import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def results_entered(staff, application: Application) -> list[Test]:
    for sample in application.samples.order_by("number"):
        sample_receive(actor=staff["clerk"], sample=sample)
    tests = list(Test.objects.filter(sample__application=application).order_by("id"))
    for test in tests:
        testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"],
                            expected_version=test.version)
        testing.result_enter(actor=staff["analyst"], test=test, expected_version=test.version,
                             data=ResultInput(kind="numeric", value="0.041", uncertainty="0.006"))
    return tests


def test_stale_review_is_refused_then_batch_review_and_approval(
        live_server, browser, screenshots, staff, application: Application) -> None:
    (test,) = results_entered(staff, application)
    url = live_server.url
    reviewer = log_in(browser, url, "reviewer", "en")
    reviewer.goto(f"{url}/testing/review/")
    row = reviewer.locator(f"tr[data-test='{test.pk}']")
    assert "0.041" in row.inner_text()

    testing.result_enter(actor=staff["analyst"], test=test, reason="transcription error",
                         expected_version=test.result.version,
                         data=ResultInput(kind="numeric", value="0.9"))
    row.locator("input[name=password]").fill(PASSWORD)
    row.locator("button").click()
    reviewer.wait_for_load_state()
    message = reviewer.locator(".messages").inner_text()
    assert "its result is now 0.9 mg/kg, entered by analyst" in message
    reviewer.screenshot(path=screenshots / "review-stale.en.png", full_page=True)
    test.refresh_from_db()
    assert test.status == Test.Status.RESULTED

    reviewer.locator(f"input[name=test][value='{test.pk}']").check()
    reviewer.locator("#bulk input[name=password]").fill(PASSWORD)
    reviewer.locator("#bulk button").click()
    reviewer.wait_for_load_state()
    test.refresh_from_db()
    assert test.status == Test.Status.REVIEWED

    signatory = log_in(browser, url, "signatory", "zh-hans")
    signatory.goto(f"{url}/testing/approval/")
    signatory.locator(f"input[name=test][value='{test.pk}']").check()
    signatory.locator("#bulk input[name=password]").fill(PASSWORD)
    signatory.screenshot(path=screenshots / "approval-batch.zh.png", full_page=True)
    signatory.locator("#bulk button:not([name=then])").click()  # accept, stay on the list
    signatory.wait_for_load_state()
    test.refresh_from_db()
    assert test.status == Test.Status.APPROVED
