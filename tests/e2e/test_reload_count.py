"""How many page loads the lab needs to take a two-sample application from reception to an
issued report, counted in the browser (every full page load of the lab staff's tabs after
signing in): receive all (the capability's standing analyst takes the tests on receipt), both
results in one form, one signature for the review and one for the approval, whose "accept and
preview" answer is the report preview, signed and issued. Printed for the README; asserted at
the count reached (13 when the way went through the report desk, 12 when the approval page
linked to the preview, 11 with the manager's bulk assignment, 9 with a standing analyst).

The manager names the standing analyst once per capability, not once per application: those
page loads are counted apart, printed and asserted too."""

import pytest

from portlab.intake.services import SampleInput, application_register
from portlab.reports import keystore
from portlab.reports.models import Report
from portlab.testing.models import Test
from tests.e2e.test_report_verification import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def counted(page, loads: list[str]):
    page.on("load", lambda loaded: loads.append(loaded.url))
    return page


def test_two_samples_from_reception_to_issued_report(
        live_server, browser, settings, tmp_path, staff, lab, lead, rice, enterprise,
        screenshots) -> None:
    settings.PORTLAB_KEYS_DIR = tmp_path / "keys"
    keystore.network_keys_init()
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="泰国茉莉香米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description="大米 2 kg"), SampleInput(description="大米 1 kg")])
    url, loads, setup_loads = live_server.url, [], []

    # Once per capability: the lab manager names the analyst who takes its tests on receipt.
    manager = counted(log_in(browser, url, "manager"), setup_loads)
    manager.goto(f"{url}/testing/assignment/")
    manager.locator("a[href='/testing/assignment/standing/']").click()
    manager.wait_for_load_state()
    manager.locator("#standing select[name=analyst]").select_option(str(staff["analyst"].pk))
    manager.locator("#standing button").click()
    manager.wait_for_load_state()
    manager.screenshot(path=screenshots / "standing-assignments.zh.png", full_page=True)
    english = log_in(browser, url, "manager", "en")  # not counted: the page in English
    english.goto(f"{url}/testing/assignment/standing/")
    assert english.locator("#standing select[name=analyst]").input_value() == str(
        staff["analyst"].pk)
    english.screenshot(path=screenshots / "standing-assignments.en.png", full_page=True)

    clerk = counted(log_in(browser, url, "clerk"), loads)
    clerk.goto(f"{url}/intake/reception/")
    clerk.locator(f"form[action$='/applications/{application.number}/receive-all/'] button"
                  ).click()
    clerk.wait_for_load_state()

    assert set(Test.objects.values_list("status", "analyst")) == {
        (Test.Status.ASSIGNED, staff["analyst"].pk)}

    analyst = counted(log_in(browser, url, "analyst"), loads)
    analyst.goto(f"{url}/testing/mine/")
    for test, value in zip(Test.objects.order_by("sample__number"), ("0.041", "0.12"),
                           strict=True):
        analyst.fill(f"input[name=value_{test.pk}]", value)
    analyst.locator("#bulk button").click()
    analyst.wait_for_load_state()

    # The reviewer accepts; the signatory accepts with the button that, since the approval
    # completes the application, answers with its report preview, ready to sign and issue.
    for username, path, button in (("reviewer", "/testing/review/", "#bulk button"),
                                   ("signatory", "/testing/approval/",
                                    "#bulk button[name=then][value=preview]")):
        checker = counted(log_in(browser, url, username), loads)
        checker.goto(f"{url}{path}")
        checker.locator("input[data-tick-all]").check()
        checker.locator("#bulk input[name=password]").fill(PASSWORD)
        checker.locator(button).first.click()
        checker.wait_for_load_state()

    assert checker.url.endswith(f"/reports/issue/{application.number}/preview/")
    issue = checker.locator(f"form[action='/reports/issue/{application.number}/']")
    issue.locator("input[name=password]").fill(PASSWORD)
    issue.locator("button").click()
    checker.wait_for_load_state()

    assert Report.objects.get(application=application).status == Report.Status.ISSUED
    print(f"\npage loads from reception to issued report (2 samples): {len(loads)}; "
          f"once per capability to name its standing analyst: {len(setup_loads)}")
    assert (len(loads), len(setup_loads)) == (9, 3)
