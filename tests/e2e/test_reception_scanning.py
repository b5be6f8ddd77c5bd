"""A reception clerk receives 20 samples by scanning their labels: a keyboard-wedge scanner
types the label's code and Enter; the page receives the sample and keeps the scan field
focused for the next. One unknown code is refused by name and changes nothing."""

import pytest

from portlab.intake.models import Status
from portlab.intake.services import SampleInput, application_register
from portlab.testing.models import Test
from tests.e2e.test_report_verification import log_in

pytestmark = pytest.mark.e2e


def test_a_clerk_receives_20_samples_by_scanning(live_server, browser, screenshots, staff, lab,
                                                 lead, rice, enterprise) -> None:
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab,
        goods_description="泰国茉莉香米", hs_code="1006302000", purpose="import",
        test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description=f"大米 第{n}袋") for n in range(1, 21)])
    numbers = list(application.samples.order_by("number").values_list("number", flat=True))
    page = log_in(browser, live_server.url, "clerk", "zh-hans")
    page.goto(f"{live_server.url}/intake/reception/")
    page.screenshot(path=screenshots / "reception-scan.zh.png", full_page=True)
    for number in numbers:
        page.keyboard.type(number)  # the scan field has the focus, as after every scan
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "scan"
    page.keyboard.type("S2099999999")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "没有属于您的样品带有标签“S2099999999”。" in page.locator(".messages").inner_text()
    page.screenshot(path=screenshots / "reception-scanned.zh.png", full_page=True)
    assert set(application.samples.values_list("status", flat=True)) == {Status.RECEIVED}
    assert Test.objects.filter(sample__application=application).count() == 20
