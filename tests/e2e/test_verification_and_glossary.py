"""The credit officer's licence-check queue and the public glossary, in both languages."""

import pytest

from conftest import PASSWORD, make_user
from portlab.accounts.models import Enterprise, Role

pytestmark = pytest.mark.e2e
SLOW = 120_000  # ms: the machine these run on is shared and often loaded


def log_in(browser, url: str, username: str, language: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Accept-Language": language})
    context.set_default_timeout(SLOW)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


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
    page.locator("form[action$='/verify/'] button").click()
    page.wait_for_load_state()
    assert f"{enterprise.name_zh} 已核验。" in page.locator(".messages").inner_text()
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
