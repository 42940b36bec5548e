"""In the browser at 375 px and 1280 px: numbers typed the German way in a de_DE bakery, the
confirm step before a removal, the Plan page, price-list rows, the staff invite form and the
operators' audit log. Screenshots of each go to tests/artifacts (uxforms-*.png)."""

import re

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


def _context(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _sign_in(page, base_url, slug):
    page.goto(f"{base_url}/admin/{slug}/login")
    page.fill("#email", f"owner@{slug}.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_german_bakery_types_prices_with_a_comma_and_sees_the_plan_page(
    live_server, browser, width
):
    base_url, _ = live_server
    context, page = _context(browser, width)
    try:
        _sign_in(page, base_url, "little-crumb")
        page.goto(f"{base_url}/admin/little-crumb/catalog/products/new")
        page.fill("#sku", f"FOU-{width}")
        page.fill("#name", "Olivenfougasse")
        page.fill("#base_price", "3.40")  # the English way: ambiguous in de_DE
        page.click("text=Save product")
        error = page.locator("#base_price-error")
        assert error.inner_text() == "Enter an amount like 3,40 or 1.234,50."
        screenshot(page, f"uxforms-product-price-refused-de-{width}")
        page.fill("#base_price", "3,40")
        page.click("text=Save product")
        page.wait_for_selector("text=Olivenfougasse added.")
        assert page.input_value("#base_price") == "3,40"
        screenshot(page, f"uxforms-product-saved-de-{width}")
        page.goto(f"{base_url}/admin/little-crumb/plan")
        assert (
            page.locator("#tier-professional")
            .get_by_role("button", name="Request upgrade to Professional")
            .is_visible()
        )
        screenshot(page, f"uxforms-plan-{width}")
        assert _fits(page), "the Plan page scrolls sideways"
        page.goto(f"{base_url}/admin/little-crumb/")
        screenshot(page, f"uxforms-home-starter-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_removing_a_location_asks_first_and_cancel_changes_nothing(live_server, browser, width):
    base_url, _ = live_server
    context, page = _context(browser, width)
    try:
        _sign_in(page, base_url, "rosemary-rye")
        page.click("text=Customers")
        page.click("text=Café Aurora")
        detail = page.url
        row = page.locator("#locations tr").nth(1)
        name = row.locator("td").first.inner_text()
        row.get_by_role("link", name="Remove").click()
        page.wait_for_selector(f"h1:has-text('Remove {name}?')")
        screenshot(page, f"uxforms-confirm-remove-location-{width}")
        assert _fits(page), "the confirm page scrolls sideways"
        page.click("text=Cancel")
        assert page.url.split("#")[0] == detail
        assert page.locator("#locations", has_text=name).count() == 1
        page.goto(detail)
        screenshot(page, f"uxforms-customer-detail-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_price_list_rows_read_as_prices_and_a_far_price_asks_first(live_server, browser, width):
    base_url, _ = live_server
    context, page = _context(browser, width)
    try:
        _sign_in(page, base_url, "rosemary-rye")
        page.goto(f"{base_url}/admin/rosemary-rye/catalog/price-lists")
        page.click("text=Cafés (negotiated)")
        body = page.locator("table").first.inner_text()
        assert re.search(r"£\d+\.\d\d|% off|Base price", body)
        screenshot(page, f"uxforms-price-list-{width}")
        page.locator("details.edit-entry summary").first.click()
        screenshot(page, f"uxforms-price-list-edit-in-place-{width}")
        page.select_option("#kind", "fixed")
        page.fill("#value", "999.00")
        page.click("text=Save price")
        page.wait_for_selector("#confirm_far")
        screenshot(page, f"uxforms-price-list-far-price-{width}")
        page.goto(f"{base_url}/admin/rosemary-rye/staff")
        assert page.locator("#role").input_value() == ""
        screenshot(page, f"uxforms-staff-invite-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_operators_audit_log_reads_as_sentences(live_server, browser, width):
    base_url, _ = live_server
    context, page = _context(browser, width)
    try:
        page.goto(f"{base_url}/platform/login")
        page.fill("#email", "operator@platform.example")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.click("text=Little Crumb")
        page.get_by_role("link", name="Suspend bakery").click()
        page.wait_for_selector("h1:has-text('Suspend Little Crumb?')")
        screenshot(page, f"uxforms-operator-confirm-suspend-{width}")
        page.fill("#reason", "Checking the new bank details.")
        page.click("button:has-text('Suspend bakery')")
        page.wait_for_selector("text=Little Crumb is suspended.")
        page.click("button:has-text('Reactivate')")
        page.wait_for_selector("text=Little Crumb is active again.")
        page.goto(f"{base_url}/platform/audit")
        assert page.locator("td", has_text="reactivated Little Crumb").count() >= 1
        assert page.locator("a", has_text="Little Crumb").count() >= 1
        screenshot(page, f"uxforms-operator-audit-{width}")
    finally:
        context.close()
