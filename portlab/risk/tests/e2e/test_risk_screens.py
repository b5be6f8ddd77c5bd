"""Screenshots of the risk board and a declaration page, in Chinese and English.

Run: pytest -m e2e portlab/risk/tests/e2e (Debian's Chromium at /usr/bin/chromium).
The pictures go to docs/screenshots/risk-{board,declaration}.{zh,en}.png.
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from portlab.demo.risk import demo_network, load_risk_demo
from portlab.risk.models import Declaration

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed"),
]


def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


@pytest.mark.django_db(transaction=True)
def test_board_and_declaration_pages(live_server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    demo_network()
    officer = load_risk_demo(history=900, batches=2, batch_size=120)
    sampled = (Declaration.objects.filter(selection__lane="sample", risk_score__rule_weight__gt=0)
               .order_by("-risk_score__score").first()
               or Declaration.objects.filter(selection__lane="sample").first())
    client = Client()
    client.force_login(officer)
    session = client.cookies["sessionid"].value
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is done; Playwright runs a loop
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = _browser(playwright)
        for language, suffix in (("zh-hans", "zh"), ("en", "en")):
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          device_scale_factor=1)
            context.set_default_timeout(120_000)  # a shared, often loaded machine
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([
                {"name": "sessionid", "value": session, "domain": host, "path": "/"},
                {"name": "django_language", "value": language, "domain": host, "path": "/"}])
            page = context.new_page()
            page.goto(f"{live_server.url}/risk/")
            assert page.locator("h1").inner_text() == ("风险分析" if suffix == "zh"
                                                       else "Risk analysis")
            page.screenshot(path=str(SHOTS / f"risk-board.{suffix}.png"), full_page=True)
            page.goto(f"{live_server.url}/risk/declarations/{sampled.number}/")
            assert sampled.number in page.locator("h1").inner_text()
            assert "≈ CNY" in page.locator(".card.grid").inner_text()  # USD and its yuan
            page.screenshot(path=str(SHOTS / f"risk-declaration.{suffix}.png"), full_page=True)
            page.goto(f"{live_server.url}/risk/rates/")
            assert page.locator("tr").count() > 24  # the demo's USD months
            page.screenshot(path=str(SHOTS / f"risk-rates.{suffix}.png"), full_page=True)
            context.close()
        browser.close()
