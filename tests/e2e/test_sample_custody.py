"""A clerk stores 5 received samples by scanning each label and then the fridge's code (a
keyboard-wedge scanner: code, Enter, code, Enter), moves one to a shelf, takes an aliquot and
reads the sample's timeline; a sample past retention is disposed of, proposed by the clerk and
approved by the lab manager. Scanning another lab's location is refused and moves nothing."""

from datetime import date

import pytest

from conftest import make_user
from portlab.accounts.models import Role
from portlab.intake import custody
from portlab.intake.models import Aliquot, Disposal, SampleMove
from portlab.intake.services import SampleInput, application_register
from portlab.testing.reception import samples_receive_all
from tests.e2e.test_report_verification import log_in

pytestmark = pytest.mark.e2e


def scan(page, code: str, location: str) -> str:
    page.focus("#scan")
    page.keyboard.type(code)
    page.keyboard.press("Enter")  # moves on to the location field
    page.keyboard.type(location)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page.locator(".messages").inner_text()


def test_clerk_stores_moves_aliquots_and_disposes(live_server, browser, screenshots, staff, lab,
                                                  other_lab, lead, rice, enterprise) -> None:
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab,
        goods_description="泰国茉莉香米", hs_code="1006302000", purpose="import",
        test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description=f"大米 第{n}袋") for n in range(1, 6)])
    samples, _refused = samples_receive_all(actor=staff["clerk"],
                                            samples=list(application.samples.order_by("number")))
    fridge = custody.storage_location_create(actor=staff["manager"], lab=lab, kind="fridge",
                                             name="留样冰箱 1")
    shelf = custody.storage_location_create(actor=staff["manager"], lab=lab, kind="shelf",
                                            name="常温留样架 A")
    elsewhere = custody.storage_location_create(
        actor=make_user("xg_manager", Role.LAB_MANAGER, other_lab), lab=other_lab,
        kind="fridge", name="新港冰箱")

    page = log_in(browser, live_server.url, "clerk", "zh-hans")
    page.goto(f"{live_server.url}/intake/custody/")
    for sample in samples:
        assert f"{sample.number} 现位于 留样冰箱 1。" in scan(page, sample.number, fridge.code)
    first = samples[0].number
    refused = scan(page, first, elsewhere.code)
    assert f"位置{elsewhere.code}属于其他实验室" in refused
    assert page.input_value("#scan") == first  # what was scanned is kept
    assert SampleMove.objects.count() == 5
    page.fill("#scan", "")
    page.fill("#location", "")
    assert "常温留样架 A" in scan(page, first, shelf.code)
    page.screenshot(path=screenshots / "custody-scan.zh.png", full_page=True)

    page.goto(f"{live_server.url}/intake/samples/{first}/")
    page.fill("input[name=quantity]", "50 g")
    page.fill("input[name=purpose]", "复测")
    with page.expect_navigation():
        page.click("button:has-text('制备分样')")
    assert Aliquot.objects.get().number == f"{first}-1"
    timeline = page.locator("#timeline").inner_text()
    assert ["已收样", "移库", "移库", f"制备分样 {first}-1"] == [
        line.split("\t")[1] for line in timeline.splitlines()[1:]]
    page.screenshot(path=screenshots / "custody-timeline.zh.png", full_page=True)
    english = log_in(browser, live_server.url, "clerk", "en")
    english.goto(f"{live_server.url}/intake/samples/{first}/")
    english.screenshot(path=screenshots / "custody-timeline.en.png", full_page=True)

    custody.sample_retention_start(actor=staff["signatory"], sample=samples[1],
                                   reported_on=date(2025, 1, 2), failed=True)
    page.goto(f"{live_server.url}/intake/disposal/")
    page.select_option(f"#due-{samples[1].number} select[name=method]", "returned")
    with page.expect_navigation():
        page.click(f"#due-{samples[1].number} >> button:has-text('提出处置')")
    page.screenshot(path=screenshots / "custody-disposal.zh.png", full_page=True)
    approve = page.locator(f"#due-{samples[1].number} >> button:has-text('批准处置')")
    with page.expect_navigation():
        approve.click()
    assert "处置须由提出人" in page.locator(".messages").inner_text()
    manager = log_in(browser, live_server.url, "manager", "en")
    manager.goto(f"{live_server.url}/intake/disposal/")
    manager.screenshot(path=screenshots / "custody-disposal.en.png", full_page=True)
    with manager.expect_navigation():
        manager.click(f"#due-{samples[1].number} >> button:has-text('Approve the disposal')")
    assert f"Sample {samples[1].number} disposed of." in manager.locator(".messages").inner_text()
    disposal = Disposal.objects.get()
    assert (disposal.proposed_by, disposal.approved_by) == (staff["clerk"], staff["manager"])
