"""A correction in the browser: the signatory reopens the lead result and corrects the goods
description with a reason; the result is re-entered, reviewed and approved again; the preview
shows what changed before the signature; version 2 prints the changed value and the reason, and
version 1 verifies as superseded by version 2."""

import subprocess
from pathlib import Path

import pytest

from conftest import SIGNED
from portlab.intake.models import Application
from portlab.reports import keystore
from portlab.reports.models import Report
from portlab.testing import services as testing
from portlab.testing.models import Test
from portlab.testing.results import ResultInput
from tests.e2e.test_enterprise_flow import lab_processes
from tests.e2e.test_report_verification import PASSWORD, log_in, preview_and_sign

pytestmark = pytest.mark.e2e
REASON = "铅标准溶液标签错误，重新测定"


def _reenter(staff, application: Application, value: str) -> None:
    test = Test.objects.get(sample__application=application, test_item__code="PB",
                            status="assigned")
    testing.result_enter(actor=staff["analyst"], test=test, reason="重新测定",
                         data=ResultInput(kind="numeric", value=value, uncertainty="0.006"))
    testing.test_review(actor=staff["reviewer"], test=test, decision="accept",
                        expected_version=test.version, credential=SIGNED)
    testing.test_approve(actor=staff["signatory"], test=test, decision="accept",
                         expected_version=test.version, credential=SIGNED)


def _png(report: Report, path: Path) -> None:
    pdf = path.with_suffix(".pdf")
    pdf.write_bytes(bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk)))
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(path.with_suffix(""))], check=True)


def _shoot_in_english(browser, url: str, path: str, screenshots: Path, name: str) -> None:
    page = log_in(browser, url, "signatory", language="en")
    page.goto(f"{url}{path}")
    page.screenshot(path=screenshots / f"{name}.en.png", full_page=True)
    page.context.close()


def test_a_correction_makes_version_two_differ_from_version_one(
        live_server, browser, screenshots, settings, tmp_path, staff,
        application: Application) -> None:
    settings.PORTLAB_KEYS_DIR = tmp_path / "keys"
    keystore.network_keys_init()
    lab_processes(staff, application)
    url, number = live_server.url, application.number
    signatory = log_in(browser, url, "signatory")
    preview_and_sign(signatory, url, number)
    first = Report.objects.get(application=application)

    signatory.goto(f"{url}/reports/{first.number}/v1/amend/")
    signatory.screenshot(path=screenshots / "report-correction.zh.png", full_page=True)
    _shoot_in_english(browser, url, f"/reports/{first.number}/v1/amend/", screenshots,
                      "report-correction")
    signatory.locator("#application\\:goods_description").fill("泰国茉莉香米（长粒）")
    signatory.locator("#correction button").click()  # no reason, nothing reopened: refused
    assert signatory.locator("#reason:invalid").count() == 1  # the browser asks for it
    lead = Test.objects.get(sample__application=application, test_item__code="PB")
    signatory.locator(f"#test-{lead.pk}").check()
    signatory.locator("#reason").fill(REASON)
    signatory.locator("#correction button").click()
    signatory.wait_for_url(f"{url}/intake/applications/{number}/")
    _reenter(staff, application, "0.052")

    signatory.goto(f"{url}/reports/")
    signatory.locator(f"form[action='/reports/issue/{number}/preview/'] button").click()
    signatory.wait_for_url(f"{url}/reports/issue/{number}/preview/*")
    changes = signatory.locator("[data-changes] li").all_inner_texts()
    assert any("0.041 mg/kg → 0.052 mg/kg" in change for change in changes)
    signatory.screenshot(path=screenshots / "report-preview.zh.png", full_page=True)
    _shoot_in_english(browser, url, f"/reports/issue/{number}/preview/?language=en",
                      screenshots, "report-preview")
    signatory.locator("input[name=password]").fill(PASSWORD)
    signatory.locator(f"form[action='/reports/issue/{number}/'] button").click()
    signatory.wait_for_url(f"{url}/intake/applications/{number}/")

    second = Report.objects.get(application=application, version=2)
    first.refresh_from_db()
    assert (first.status, second.supersedes_id) == ("superseded", first.pk)
    for report, name in ((first, "v1"), (second, "v2")):  # both PDFs' first pages, looked at
        _png(report, tmp_path / f"{name}.png")
        (screenshots / f"report-{name}.zh.png").write_bytes((tmp_path / f"{name}.png").read_bytes())
    for language, suffix in (("zh-hans", "zh"), ("en", "en")):
        visitor = browser.new_context(viewport={"width": 1280, "height": 900},
                                      extra_http_headers={"Accept-Language": language}).new_page()
        for report, outcome in ((first, "superseded"), (second, "genuine")):
            visitor.goto(f"{url}/verify")
            visitor.fill("#number", report.number)
            visitor.fill("#code", report.verification_code)
            visitor.locator("form[action='/verify'] button").click()
            assert visitor.locator(".verdict").get_attribute("data-outcome") == outcome
        assert REASON in visitor.locator("[data-changes]").inner_text()
        visitor.screenshot(path=screenshots / f"verify-corrected.{suffix}.png", full_page=True)
        visitor.context.close()
