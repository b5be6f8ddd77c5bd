"""The top navigation bar at a 1280 px window: one line in English and in Chinese for the roles
with the most entries, every entry still reachable, the "More" menu opened from the keyboard."""

import pytest

from portlab.accounts.models import Role
from portlab.accounts.services import role_grant, user_create
from tests.e2e.test_report_verification import PASSWORD, log_in

pytestmark = pytest.mark.e2e

LANGUAGES = {"en": "en", "zh-hans": "zh"}


def nav_lines(page) -> float:
    """How many lines the nav takes: its height over the height of one of its entries."""
    nav = page.locator("header nav").bounding_box()
    entry = page.locator("header nav > a").first.bounding_box()
    return nav["height"] / entry["height"]


@pytest.fixture
def chief(staff, lab) -> None:
    """A small lab's head: lab manager and quality manager, the most entries a lab role sees."""
    user = user_create(username="chief", password=PASSWORD, display_name="chief",
                       roles=[(Role.LAB_MANAGER, lab), (Role.QUALITY_MANAGER, lab)])
    role_grant(user=user, role=Role.ANALYST, scope=lab)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ["manager", "analyst", "chief", "admin"])
def test_nav_is_one_line_at_1280(live_server, browser, screenshots, staff, chief,
                                 username, language) -> None:
    page = log_in(browser, live_server.url, username, language)
    header = page.locator("header").bounding_box()
    assert nav_lines(page) < 1.5
    assert header["height"] < 70  # the brand, nav and the sign-out box sit on one row
    page.screenshot(path=screenshots / f"nav-{username}.{LANGUAGES[language]}.png",
                    clip={"x": 0, "y": 0, "width": 1280, "height": header["height"]})


@pytest.mark.parametrize("language", LANGUAGES)
def test_more_menu_opens_from_the_keyboard(live_server, browser, screenshots, staff,
                                           language) -> None:
    page = log_in(browser, live_server.url, "manager", language)
    more = page.locator("header nav details")
    glossary = more.locator("a[href='/glossary/']")
    assert not glossary.is_visible()
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    assert glossary.is_visible()
    page.screenshot(path=screenshots / f"nav-more.{LANGUAGES[language]}.png",
                    clip={"x": 0, "y": 0, "width": 1280, "height": 300})
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/network/capabilities/"
    page.keyboard.press("Escape")
    assert not glossary.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
