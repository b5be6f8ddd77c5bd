"""The board in a real browser (Playwright + Debian's Chromium) on the demo network with quality
data, in Chinese and English; saves docs/screenshots/quality-board.{zh,en}.png."""

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture
def demo_network(transactional_db) -> None:
    """Built before the browser starts: Playwright runs an event loop in this thread."""
    from portlab.demo import loader as demo
    from portlab.demo.quality import authorize_demo_staff, load_quality_demo
    from portlab.demo.workflow import applications_in_every_state

    labs = demo._network()
    demo._catalog(labs, __import__("random").Random(2026))
    users = demo._people(labs)
    authorize_demo_staff(users, labs["TJ-TC"])
    applications_in_every_state(users, labs["TJ-TC"])
    load_quality_demo(users, labs)


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "suffix", "heading"), [
    ("zh-hans", "zh", "质量监控看板"), ("en", "en", "Quality board")])
def test_board_screenshot(live_server, demo_network, browser, language, suffix,
                          heading) -> None:
    page = browser.new_page(viewport={"width": 1360, "height": 900}, locale=language,
                            extra_http_headers={"Accept-Language": language})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "tjquality")
    page.fill("input[name=password]", "portlab-demo")
    page.click("main button")
    page.goto(f"{live_server.url}/quality/board/?district=0200")
    assert heading in page.inner_text("h1")
    assert page.locator("svg.chart").count() == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"quality-board.{suffix}.png"), full_page=True)
    page.click("text=" + ("逾期检测" if suffix == "zh" else "Overdue tests"))
    assert page.locator("table tr").count() > 1
