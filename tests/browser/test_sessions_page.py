"""In the browser: the "where you're signed in" list in each realm's settings, at phone and desk
widths, and "Sign out everywhere" signing out the other browser too."""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
REALMS = {
    "staff": (
        "/admin/rosemary-rye/login",
        "owner@rosemary-rye.example",
        "/admin/rosemary-rye/account/sessions",
    ),
    "buyer": (
        "/wholesale/rosemary-rye/login",
        "owner@cafe-aurora.example",
        "/wholesale/rosemary-rye/account",
    ),
    "operator": ("/platform/login", "operator@platform.example", "/platform/sessions"),
}


def _context(browser, width: int):
    if width < 600:
        return browser.new_context(
            viewport={"width": width, "height": 800}, is_mobile=True, user_agent=PHONE_UA
        )
    return browser.new_context(viewport={"width": width, "height": 900})


def _sign_in(page, base_url, login, email):
    page.goto(base_url + login)
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("realm", list(REALMS))
def test_the_sessions_list_at_375_and_1280_and_sign_out_everywhere(live_server, browser, realm):
    base_url, _ = live_server
    login, email, settings = REALMS[realm]
    phone_context, desk_context = _context(browser, 375), _context(browser, 1280)
    try:
        phone, desk = phone_context.new_page(), desk_context.new_page()
        _sign_in(phone, base_url, login, email)
        _sign_in(desk, base_url, login, email)
        for page, width in ((phone, 375), (desk, 1280)):
            page.goto(base_url + settings)
            page.wait_for_selector("text=Where you're signed in")
            card = page.locator("#sessions")
            assert "this browser" in card.inner_text()
            assert "Safari on iPhone" in card.inner_text()
            screenshot(page, f"sessions-{realm}-{width}")
            if width == 375:
                assert _fits_the_screen(page)
        phone.get_by_role("button", name="Sign out everywhere").click()
        phone.wait_for_selector("text=You're signed out everywhere.")
        desk.goto(base_url + settings)
        assert "/login" in desk.url
    finally:
        phone_context.close()
        desk_context.close()
