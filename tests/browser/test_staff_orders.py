"""In the browser at 1280 px: the bakery's owner opens the review queue, sees Café Aurora's
pending order flagged as a possible duplicate, and approves it. Every staff ordering page is
saved at 375 and 1280 px, and none scrolls sideways at 375."""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _both_widths(page, name):
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot(page, f"staff-{name}-375")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} is {width}px wide at 375"
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"staff-{name}-1280")


def test_the_owner_approves_a_pending_order_in_the_review_queue(live_server, page):
    base_url, _ = live_server
    admin = f"{base_url}/admin/rosemary-rye"
    page.goto(f"{admin}/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#orders-today")
    _both_widths(page, "home")

    page.goto(f"{admin}/orders")
    assert page.locator("#orders tbody tr").count() >= 11
    _both_widths(page, "orders-list")

    page.goto(f"{admin}/orders/review")
    card = page.locator(".review-card").first
    assert "Café Aurora" in card.inner_text() and "Possible duplicate" in card.inner_text()
    number = card.get_attribute("id").removeprefix("review-")
    _both_widths(page, "review-queue")

    card.locator("a", has_text="Edit or reject").click()
    page.wait_for_selector("#review-form")
    _both_widths(page, "order-pending")

    page.goto(f"{admin}/orders/review")
    page.locator(f"#review-{number} button", has_text="Approve").click()
    page.wait_for_selector(f"text=Order {number} is confirmed; the buyer is told by email.")
    assert "Nothing is waiting for review." in page.inner_text("main")
    _both_widths(page, "review-queue-empty")

    page.goto(f"{admin}/orders?status=confirmed")
    page.locator("#orders a", has_text=f"Order {number}").click()
    assert page.inner_text("#order-status") == "Confirmed"
    assert "Confirmed" in page.inner_text("#timeline")
    _both_widths(page, "order-confirmed")

    page.goto(f"{admin}/orders/new")
    page.select_option("#customer_id", label="Café Aurora")
    page.click("main button[type=submit]")
    page.wait_for_selector("#desk-products")
    _both_widths(page, "order-desk")

    page.goto(f"{admin}/settings/delivery")
    assert "Christmas" in page.inner_text("#closures")
    _both_widths(page, "delivery-calendar")
