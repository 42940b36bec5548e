"""In the browser, at 375 px and 1280 px: the owner of Rosemary & Rye (the demo, Stripe off)
follows the link from Online payments to the online payment attempts, sees the declined card,
the dispute and the refund to follow up, filters to every attempt, opens an invoice from a row,
and reaches the same page from the receivables payments list. Every page goes through
`check_page` (screenshots in tests/artifacts as online-attempts-*-375.png / -1280.png)."""

from __future__ import annotations

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page

pytestmark = pytest.mark.browser

ADMIN = "/admin/rosemary-rye"


def _sign_in(page, base_url):
    page.goto(f"{base_url}{ADMIN}/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#orders-today")


def _follow_up(page, base_url, name: str) -> None:
    page.goto(f"{base_url}{ADMIN}/online-payments")
    page.locator("#attempts-link a").click()
    page.wait_for_selector("#online-attempts")
    assert "Online payments are off on this platform" in page.inner_text("#stripe-off")
    # The demo's attempts (other browser tests pay by card too, with their own ids).
    rows = page.locator("#online-attempts tbody tr", has_text="pi_demo_rr_")
    assert rows.count() == 3
    table = page.inner_text("#online-attempts")
    assert "Your card was declined." in table
    assert "Disputed: needs a response" in table
    assert "pi_demo_rr_0002" in table and "pi_demo_rr_0003" not in table
    check_page(page, f"online-attempts-{name}")
    page.select_option("#show", "all")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_selector("#online-attempts")
    assert page.locator("#online-attempts tbody tr", has_text="pi_demo_rr_").count() == 4
    assert "pi_demo_rr_0003" in page.inner_text("#online-attempts")
    check_page(page, f"online-attempts-all-{name}")
    declined = page.locator("#online-attempts tbody tr", has_text="pi_demo_rr_0001")
    number = declined.locator("td[data-label=Invoices] a").first.inner_text()
    declined.locator("td[data-label=Invoices] a").first.click()
    page.wait_for_load_state()
    assert number in page.inner_text("main h1")


def test_the_owner_follows_up_online_payments_on_a_phone(live_server, phone_page):
    base_url, _ = live_server
    _sign_in(phone_page, base_url)
    _follow_up(phone_page, base_url, "phone")


def test_the_owner_follows_up_online_payments_on_a_desktop(live_server, page):
    base_url, _ = live_server
    _sign_in(page, base_url)
    _follow_up(page, base_url, "desktop")
    page.goto(f"{base_url}{ADMIN}/payments")
    page.locator("nav.subnav a", has_text="Online payment attempts").click()
    page.wait_for_selector("#online-attempts")
    assert page.locator("#online-attempts tbody tr").count() == 3
