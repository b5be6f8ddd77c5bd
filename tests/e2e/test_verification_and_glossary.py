"""The credit officer's licence-check queue and the public glossary, in both languages."""

import pytest

from conftest import make_user
from portlab.accounts.models import Enterprise, Role
from tests.e2e.test_report_verification import log_in

pytestmark = pytest.mark.e2e


def test_credit_officer_verifies_an_enterprise(live_server, browser, screenshots,
                                               enterprise: Enterprise) -> None:
    make_user("credit", Role.CREDIT_OFFICER, None)
    url = live_server.url
    for language, suffix in (("en", "en"), ("zh-hans", "zh")):
        page = log_in(browser, url, "credit", language)
        page.goto(f"{url}/accounts/enterprises/verification/")
        page.screenshot(path=screenshots / f"enterprise-verification.{suffix}.png",
                        full_page=True)
    page.locator("input[name=checked]").check()
    page.locator("input[name=note]").fill("国家企业信用信息公示系统")
    page.locator("form button").first.click()
    page.wait_for_load_state()
    assert f"{enterprise.name} 已核验。" in page.locator(".messages").inner_text()
    enterprise.refresh_from_db()
    assert enterprise.verified_by.username == "credit"


def test_glossary_is_public(live_server, browser, screenshots, db) -> None:
    for language, suffix, heading in (("en", "en", "Glossary"), ("zh-hans", "zh", "术语表")):
        page = browser.new_context(viewport={"width": 1280, "height": 900},
                                   extra_http_headers={"Accept-Language": language}).new_page()
        page.goto(f"{live_server.url}/glossary/")
        assert page.locator("h1").inner_text() == heading
        assert page.locator("tr.term").count() >= 30
        page.screenshot(path=screenshots / f"glossary.{suffix}.png", full_page=True)
