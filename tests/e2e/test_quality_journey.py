"""The quality manager's day in the browser (#12 items 4 and 5): an authorization granted, a
calibration recorded with its certificate, and a QC run with two levels, one out of control,
holding the approval of the test it covers until its corrective action is closed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import SIGNED
from portlab.accounts.models import Role
from portlab.accounts.services import user_create
from portlab.instruments.models import Calibration
from portlab.instruments.services import instrument_register
from portlab.network.models import Capability
from portlab.quality.models import Authorization, CorrectiveAction, QCRun
from portlab.quality.services import control_material_create
from portlab.testing import services as testing
from portlab.testing.models import Test
from tests.e2e.test_four_eyes import results_entered
from tests.e2e.test_report_verification import PASSWORD

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def log_in(browser, url: str, username: str, language: str):
    """Signed in, with waits long enough for a machine shared by several test runs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Accept-Language": language})
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


@pytest.fixture
def quality_manager(staff, lab):
    return user_create(username="quality", password=PASSWORD, display_name="质量负责人",
                       roles=[(Role.QUALITY_MANAGER, lab)])


def _grant_authorization(page, url: str, staff, lab, screenshots) -> None:
    page.goto(f"{url}/quality/personnel/")
    form = page.locator("#grant-form")
    page.locator("summary", has_text="授予人员授权").click()
    form.locator("select[name=user]").select_option(str(staff["reviewer"].pk))
    form.locator("select[name=duty]").select_option("conformity_statement")
    form.locator("select[name=capability]").select_option(
        str(Capability.objects.get(lab=lab, test_item__code="PB").pk))
    form.locator("input[name=valid_to]").fill("2028-12-31")
    form.locator("button").click()
    page.wait_for_load_state()
    assert "已授权。" in page.locator(".messages").inner_text()
    page.screenshot(path=screenshots / "quality-authorization.zh.png", full_page=True)


def _record_calibration(page, url: str, instrument, tmp_path, screenshots) -> None:
    page.goto(f"{url}/instruments/{instrument.asset_number}/calibrations/")
    form = page.locator("#calibration-form")
    form.locator("input[name=certificate_number]").fill("JL-2026-0110")
    form.locator("input[name=provider]").fill("天津市计量监督检测科学研究院")
    certificate = tmp_path / "JL-2026-0110.pdf"
    certificate.write_bytes(PDF)
    form.locator("input[name=certificate]").set_input_files(str(certificate))
    form.locator("button").click()
    page.wait_for_load_state()
    assert "校准已记录。" in page.locator(".messages").inner_text()
    assert page.locator("a", has_text="JL-2026-0110.pdf").count() == 1
    page.screenshot(path=screenshots / "calibration-certificate.zh.png", full_page=True)


def _record_qc_run(page, url: str, lab, test: Test, screenshots) -> None:
    page.goto(f"{url}/quality/qc/")
    form = page.locator("form.qc-run")
    form.locator("input[name=run_code]").fill("PB-0301")
    form.get_by_label("Value of level L1").fill("0.14")
    form.get_by_label("Value of level L2").fill("0.5x")
    form.locator("summary").click()
    form.locator(f"input[name=tests][value='{test.pk}']").check()
    form.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#qc-error").inner_text() == (
        "Control level L2 (PB-L2): “0.5x” is not a number.")
    assert QCRun.objects.count() == 0
    page.screenshot(path=screenshots / "qc-run-error.en.png", full_page=True)
    form = page.locator("form.qc-run")
    assert form.get_by_label("Value of level L1").input_value() == "0.14"
    form.get_by_label("Value of level L2").fill("0.52")
    form.locator("button").click()
    page.wait_for_load_state()
    assert "QC run PB-0301 recorded: Rejected." in page.locator(".messages").inner_text()
    page.screenshot(path=screenshots / "qc-run-rejected.en.png", full_page=True)


def _approve(page, url: str, test: Test) -> str:
    page.goto(f"{url}/testing/approval/")
    page.locator(f"input[name=test][value='{test.pk}']").check()
    page.locator("#bulk input[name=password]").fill(PASSWORD)
    page.locator("#bulk button:not([name=then])").click()  # accept, stay on the list
    page.wait_for_load_state()
    return page.locator(".messages").inner_text()


def test_quality_manager_journey(live_server, browser, screenshots, tmp_path, staff, lab, lead,
                                 application, quality_manager) -> None:
    url = live_server.url
    instrument = instrument_register(
        actor=staff["manager"], lab=lab, asset_number="TJ-GFAAS-02", name="石墨炉原子吸收",
        instrument_type="GFAAS", manufacturer="PerkinElmer", model="PinAAcle 900T",
        serial_number="PE-900T-0042", location="B2-107", value=Decimal("650000"),
        calibration_interval_days=365, check_interval_days=90)
    for code, level, mean, sd in (("PB-L1", "L1", 0.1, 0.01), ("PB-L2", "L2", 0.5, 0.05)):
        control_material_create(actor=quality_manager, lab=lab, test_item=lead, code=code,
                                name=f"大米铅质控 {level}", level=level, target_mean=mean,
                                target_sd=sd, instrument_label="TJ-GFAAS-02")
    quality = log_in(browser, url, "quality", "zh-hans")
    _grant_authorization(quality, url, staff, lab, screenshots)
    assert Authorization.objects.filter(user=staff["reviewer"], duty="conformity_statement",
                                        granted_by=quality_manager).count() == 1
    _record_calibration(quality, url, instrument, tmp_path, screenshots)
    assert Calibration.objects.get(certificate_number="JL-2026-0110").certificate is not None

    (test,) = results_entered(staff, application)
    testing.test_review(actor=staff["reviewer"], test=test, decision="accept",
                        expected_version=test.version, credential=SIGNED)
    analyst = log_in(browser, url, "analyst", "en")
    _record_qc_run(analyst, url, lab, test, screenshots)
    run = QCRun.objects.get(run_code="PB-0301")
    assert (run.status, list(run.links.values_list("test_id", flat=True))) == (
        "rejected", [test.pk])

    signatory = log_in(browser, url, "signatory", "en")
    held = (f"QC run PB-0301 of this test was rejected ({timezone.localdate().isoformat()}): "
            "approval waits until the quality manager closes its corrective action.")
    assert held in _approve(signatory, url, test)
    signatory.screenshot(path=screenshots / "qc-approval-held.en.png", full_page=True)

    quality.goto(f"{url}/quality/qc/")
    action_form = quality.locator("#run-PB-0301 form")
    action_form.locator("input[name=title]").fill("更换石墨管并重测 L1")
    action_form.locator("input[name=root_cause]").fill("石墨管老化")
    action_form.locator("input[name=due_date]").fill(
        (timezone.localdate() + dt.timedelta(days=3)).isoformat())
    action_form.locator("button").click()
    quality.wait_for_load_state()
    quality.screenshot(path=screenshots / "qc-run-rejected.zh.png", full_page=True)
    assert held in _approve(signatory, url, test)  # an open action is not enough

    action = CorrectiveAction.objects.get(qc_run=run)
    quality.goto(f"{url}/quality/records/action/")
    row = quality.locator(f"#record-{action.pk}")
    row.locator("input[name=evidence]").fill("石墨管已更换，L1 重测 0.101 mg/kg，受控")
    row.locator("button", has_text="关闭").click()
    quality.wait_for_load_state()
    quality.goto(f"{url}/quality/records/action/?status=closed")
    quality.screenshot(path=screenshots / "corrective-action-closed.zh.png", full_page=True)
    _approve(signatory, url, test)
    test.refresh_from_db()
    assert test.status == Test.Status.APPROVED
