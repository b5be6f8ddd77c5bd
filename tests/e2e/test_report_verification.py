"""The lab issues a signed report in the browser; the enterprise downloads it; anyone verifies
it: genuine, then altered when one digit changes, then superseded after an amendment."""

import pytest

from portlab.intake.models import Application
from portlab.reports import keystore
from portlab.reports.models import Report
from tests.e2e.test_enterprise_flow import lab_processes

pytestmark = pytest.mark.e2e
PASSWORD = "test-password-1"


def log_in(browser, url: str, username: str, language: str = "zh-hans"):
    page = browser.new_context(viewport={"width": 1280, "height": 900},
                               extra_http_headers={"Accept-Language": language},
                               accept_downloads=True).new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


def preview_and_sign(page, url: str, number: str) -> None:
    """From the report desk: "Preview and issue", look at the preview, sign it."""
    page.goto(f"{url}/reports/")
    page.locator(f"form[action='/reports/issue/{number}/preview/'] button").click()
    page.wait_for_url(f"{url}/reports/issue/{number}/preview/*")
    page.locator("input[name=password]").fill(PASSWORD)  # issuing is a signature
    page.locator(f"form[action='/reports/issue/{number}/'] button").click()
    page.wait_for_url(f"{url}/intake/applications/{number}/")


def one_digit_changed(pdf: bytes, report: Report) -> bytes:
    """Change the last digit of the report number in the PDF's title: same length, one byte."""
    digit = report.number[-1].encode()
    position = pdf.index(digit + b" v1)", pdf.index(b"/Title ("))
    return pdf[:position] + (b"7" if digit != b"7" else b"8") + pdf[position + 1:]


def verify_upload(page, url: str, content: bytes, name: str) -> str:
    page.goto(f"{url}/verify")
    page.set_input_files("#file", files=[{"name": name, "mimeType": "application/pdf",
                                          "buffer": content}])
    page.locator("form[action='/verify/upload'] button").click()
    return page.locator(".verdict").get_attribute("data-outcome")


def test_issue_download_and_verify(live_server, browser, screenshots, settings, tmp_path,
                                   staff, application: Application, other_lab) -> None:
    settings.PORTLAB_KEYS_DIR = tmp_path / "keys"
    keystore.network_keys_init()
    lab_processes(staff, application)
    url = live_server.url

    signatory = log_in(browser, url, "signatory")
    preview_and_sign(signatory, url, application.number)
    report = Report.objects.get(application=application)
    assert report.status == Report.Status.ISSUED

    customer = log_in(browser, url, "customer")
    customer.goto(f"{url}/intake/applications/{application.number}/")
    with customer.expect_download() as download:
        customer.click("a[href$='/v1.pdf']")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and pdf == bytes(Report.objects.get(pk=report.pk).pdf)

    for language, suffix in (("zh-hans", "zh"), ("en", "en")):
        visitor = browser.new_context(viewport={"width": 1280, "height": 900},
                                      extra_http_headers={"Accept-Language": language}).new_page()
        visitor.goto(f"{url}/verify")
        visitor.fill("#number", report.number)
        visitor.fill("#code", report.verification_code)
        visitor.locator("form[action='/verify'] button").click()
        assert visitor.locator(".verdict").get_attribute("data-outcome") == "genuine"
        visitor.screenshot(path=screenshots / f"verify-genuine.{suffix}.png", full_page=True)
        assert verify_upload(visitor, url, one_digit_changed(pdf, report), "r.pdf") == "altered"
        visitor.screenshot(path=screenshots / f"verify-altered.{suffix}.png", full_page=True)
        visitor.context.close()

    signatory.goto(f"{url}/reports/{report.number}/v1/amend/")
    sample = application.samples.order_by("number").first()
    signatory.locator(f"#{sample.number}\\:description").fill("大米 2 kg（密封袋）")
    signatory.locator("#reason").fill("更正样品描述")
    signatory.locator("#correction button").click()
    signatory.wait_for_url(f"{url}/intake/applications/{application.number}/")
    preview_and_sign(signatory, url, application.number)
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUPERSEDED
    visitor = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Accept-Language": "zh-hans"}).new_page()
    assert verify_upload(visitor, url, pdf, "old.pdf") == "superseded"
    assert visitor.locator(".verdict a.button").count() == 1
    visitor.screenshot(path=screenshots / "verify-superseded.zh.png", full_page=True)
