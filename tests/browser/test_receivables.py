"""In the browser: the bakery's owner records a payment from Café Aurora at phone width (375
px) and on a desktop (1280 px), the amount filling the invoice boxes oldest first as it is
typed; the ageing page, a customer's account, a payment, its void confirm step and the
reminder settings; the buyer's statement page and its PDF. Every page goes through
`check_page` (no sideways scroll, 44 px tap targets, screenshots at both widths)."""

from pathlib import Path

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page

pytestmark = pytest.mark.browser

ADMIN = "/admin/rosemary-rye"


def _sign_in_staff(page, base_url):
    page.goto(f"{base_url}{ADMIN}/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#orders-today")


def _record_payment(page, base_url, name, amount, reference):
    page.goto(f"{base_url}{ADMIN}/receivables")
    assert "Aurora" in page.inner_text("#ageing")
    check_page(page, f"receivables-ageing-{name}")
    page.locator("#ageing a", has_text="Aurora").first.click()
    page.wait_for_selector("#account-summary")
    check_page(page, f"receivables-account-{name}")
    page.locator("main a.button", has_text="Record a payment").last.click()
    page.wait_for_selector("#payment-form")
    page.fill("#amount", amount)
    # The script suggests the split: the oldest open invoice takes the amount first.
    first_box = page.locator("#open-invoices input.alloc").first
    assert first_box.input_value() == amount
    assert page.locator("#open-invoices input.alloc").nth(1).input_value() == ""
    page.fill("#reference", reference)
    page.select_option("#method", "cash")
    check_page(page, f"receivables-payment-form-{name}")
    page.click("#payment-form button[type=submit]")
    page.wait_for_selector("#allocations")
    assert "recorded" in page.inner_text("main")
    assert "Cash" in page.inner_text("main") and reference in page.inner_text("main")
    check_page(page, f"receivables-payment-{name}")


def test_the_owner_records_a_payment_on_a_phone(live_server, phone_page):
    base_url, _ = live_server
    page = phone_page
    _sign_in_staff(page, base_url)
    _record_payment(page, base_url, "phone-run", "1.00", "Phone cash 1")
    page.locator("a.button", has_text="Void payment").click()
    page.wait_for_selector(".confirm-step")
    assert "Void the cash payment of £1.00" in page.inner_text("main")
    check_page(page, "receivables-void-confirm")
    page.fill("#reason", "Typed on the wrong account")
    page.locator(".confirm-step button", has_text="Void payment").click()
    page.wait_for_selector("#payment-status")
    assert page.inner_text("#payment-status") == "void"


def test_the_owner_records_a_payment_on_a_desktop(live_server, page):
    base_url, _ = live_server
    _sign_in_staff(page, base_url)
    _record_payment(page, base_url, "desktop-run", "2.00", "Desk cash 2")
    page.goto(f"{base_url}{ADMIN}/payments")
    assert "Desk cash 2" in page.inner_text("#payments")
    check_page(page, "receivables-payments")
    page.goto(f"{base_url}{ADMIN}/settings/receivables")
    check_page(page, "receivables-settings")


def test_the_buyer_opens_their_statement_and_its_pdf(live_server, phone_page):
    base_url, _ = live_server
    page = phone_page
    page.goto(f"{base_url}/wholesale/rosemary-rye/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{base_url}/wholesale/rosemary-rye/invoices")
    page.locator("a", has_text="Statement of open invoices").click()
    page.wait_for_selector("#statement")
    text = page.inner_text("main")
    assert "days overdue" in text and "Credit on account" in text
    check_page(page, "portal-statement")
    with page.expect_download() as download:
        page.locator("a", has_text="Download as PDF").click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
