"""An operator moves little-crumb to Professional in the console; its portal then opens."""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_an_operator_upgrades_little_crumb_and_its_portal_login_loads(live_server, page):
    base_url, _ = live_server
    closed = page.goto(f"{base_url}/wholesale/little-crumb/login")
    assert closed.status == 403
    assert "wholesale portal isn't available" in page.inner_text("main")

    page.goto(f"{base_url}/platform/login")
    page.fill("#email", "operator@platform.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Little Crumb")
    page.select_option("#plan_id", label="Professional (professional)")
    page.click("text=Change tier")
    assert "Little Crumb is now on Professional" in page.inner_text("main")

    opened = page.goto(f"{base_url}/wholesale/little-crumb/login")
    assert opened.status == 200
    assert page.is_visible("input#email")
    assert "Little Crumb wholesale ordering" in page.inner_text("h1")
    assert screenshot(page, "little-crumb-portal-login").stat().st_size > 0
