"""In the browser: the demo buyer's catalog shows every price in the bakery's money format
(Rosemary & Rye: en_GB, GBP), on a desktop and on a 375 px phone."""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_the_buyer_reads_pounds_on_the_catalog_at_desktop_and_phone_width(live_server, browser):
    base_url, _ = live_server
    for width, name in ((1280, "buyer-catalog-money-1280"), (375, "buyer-catalog-money-375")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base_url}/wholesale/rosemary-rye/login")
        page.fill("#email", "owner@cafe-aurora.example")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base_url}/wholesale/rosemary-rye/catalog")
        croissant = page.locator('tr[data-sku="VIE-CRO"]')
        assert croissant.locator(".price").inner_text() == "£1.10"
        assert croissant.locator(".next-break").inner_text() == "order 24 for £1.00 each"
        assert screenshot(page, name).stat().st_size > 0
        context.close()
