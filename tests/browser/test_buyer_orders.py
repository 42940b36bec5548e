"""In the browser at phone width (375 px): a café manager signs in, adds three products (one
reaching a volume break), sees the minimum order reached, checks out for the earliest date, sees
the confirmation, opens the order from the list and reorders it. Each page is saved at 375 and
1280 px, and none scrolls sideways at 375."""

import re

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def _both_widths(page, name):
    _no_sideways_scroll(page)
    screenshot(page, f"portal-{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"portal-{name}-1280")
    page.set_viewport_size({"width": 375, "height": 812})


def _add(page, sku, quantity):
    row = page.locator(f'tr[data-sku="{sku}"]')
    row.locator('input[name="quantity"]').fill(str(quantity))
    row.locator("button", has_text="Add to cart").click()
    page.wait_for_selector("text=Added to your cart.")


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_cafe_manager_orders_from_a_phone_and_reorders(live_server, small_phone):
    base_url, _ = live_server
    page = small_phone
    page.goto(f"{base_url}/wholesale/rosemary-rye/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base_url}/wholesale/rosemary-rye/catalog")
    _add(page, "VIE-CRO", 24)  # reaches the 24 break: 1.00 each
    _add(page, "BRD-BAG", 10)
    _add(page, "BRD-SOUR", 2)
    _both_widths(page, "catalog")

    page.goto(f"{base_url}/wholesale/rosemary-rye/cart")
    croissants = page.locator('#cart-lines tr[data-sku="VIE-CRO"]')
    assert "Volume price" in croissants.inner_text()
    assert "Add 36 more for £0.92 each" in croissants.inner_text()
    assert "minimum order of £30.00 is reached" in page.inner_text("#minimum")
    earliest = page.locator("#delivery_date option").first.inner_text()
    assert "(earliest)" in earliest
    _both_widths(page, "cart")

    page.click("text=Place order")
    page.wait_for_selector("text=Thank you! Order")
    # The demo's own orders are in the list too: open this one by its number.
    number = re.search(r"Thank you! Order (\d+)", page.inner_text("main")).group(1)
    assert "Butter croissant" in page.inner_text("#order-lines")
    assert "Placed" in page.inner_text("#timeline")
    _both_widths(page, "order-confirmation")

    page.click("nav >> text=Orders")
    _both_widths(page, "orders")
    page.locator("#orders a", has_text=re.compile(rf"^Order {number}$")).click()
    page.click("button:has-text('Reorder')")
    page.wait_for_selector("text=are in your cart at today's prices")
    assert page.locator("#cart-lines tr[data-sku]").count() == 3
    _both_widths(page, "cart-after-reorder")


def test_the_cutoff_countdown_is_server_text_that_a_script_keeps_current(live_server, page):
    base_url, _ = live_server
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{base_url}/wholesale/rosemary-rye/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base_url}/wholesale/rosemary-rye/cart")
    server_text = page.inner_text("#countdown")
    assert "'s order closes in " in server_text
    # Pretend the cut-off is 90 minutes away; the script's next tick rewrites the text.
    page.evaluate(
        "el => { el.dataset.cutoff = new Date(Date.now() + 90.5 * 60000).toISOString(); }",
        page.query_selector("#countdown"),
    )
    page.wait_for_selector("#countdown:has-text('closes in 1 h 30 min')", timeout=20_000)
    assert blocked == []
