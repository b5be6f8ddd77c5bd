"""The risk officer's retraining schedule in a browser: a malformed cron expression is refused
with the reason and kept in the field, a valid one saved; screenshots in Chinese and English
(docs/screenshots/retrain-schedule{,-refused}.{zh,en}.png)."""

import os
from pathlib import Path

import pytest
from django.test import Client

from conftest import make_user
from portlab.accounts.models import Role
from portlab.jobs.models import JobSchedule

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed"),
]
REFUSED = {"zh": "cron 表达式“0 25 * * *”无效：时字段“25”须在 0–23 之内。",
           "en": "the hour field “25” must be within 0–23."}


@pytest.mark.django_db(transaction=True)
def test_the_officer_sets_the_retraining_schedule(live_server) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    officer = make_user("officer", Role.RISK_OFFICER, None)
    client = Client()
    client.force_login(officer)
    session = client.cookies["sessionid"].value
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        for language, suffix in (("zh-hans", "zh"), ("en", "en")):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([
                {"name": "sessionid", "value": session, "domain": host, "path": "/"},
                {"name": "django_language", "value": language, "domain": host, "path": "/"}])
            page = context.new_page()
            page.goto(f"{live_server.url}/jobs/schedule/retraining/")
            page.check("input[name=enabled]")
            page.check("input[name=trigger][value=cron]")
            page.fill("#id_cron", "0 25 * * *")
            page.click("#retrain_form button")
            assert REFUSED[suffix] in page.content()
            assert page.input_value("#id_cron") == "0 25 * * *"
            page.screenshot(path=str(SHOTS / f"retrain-schedule-refused.{suffix}.png"),
                            full_page=True)
            page.fill("#id_cron", "0 2 * * 0")
            page.click("#retrain_form button")
            assert JobSchedule.objects.get().cron == "0 2 * * 0"
            page.screenshot(path=str(SHOTS / f"retrain-schedule.{suffix}.png"), full_page=True)
            JobSchedule.objects.all().delete()
            context.close()
        browser.close()
