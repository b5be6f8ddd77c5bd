"""Screenshots of the network pages (zh-Hans and English) for docs/screenshots/.

Run: DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python portlab/network/tests/screenshots.py
against a server started on that database (PORTLAB_URL, default http://127.0.0.1:8765).
Not collected by pytest (no test_ prefix).
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("PORTLAB_URL", "http://127.0.0.1:8765")
OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PAGES = {
    "network-search": "/network/search?item=PB&standard=GB+5009.12&accredited=yes",
    "network-workload": "/network/workload",
    "network-cross-district": "/network/cross-district?period=quarter",
    "network-transfers": "/network/transfers",
    "network-agreements": "/network/agreements",
}


def shoot(username: str = "admin", password: str = "portlab-demo") -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for language, suffix in (("zh-hans", "zh"), ("en", "en")):
            context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900},
                                          extra_http_headers={"Accept-Language": language})
            page = context.new_page()
            page.goto(f"{BASE}/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("form button[type=submit], form input[type=submit], main form button")
            for name, path in PAGES.items():
                page.goto(BASE + path)
                page.screenshot(path=str(OUT / f"{name}.{suffix}.png"), full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    shoot(*sys.argv[1:3])
