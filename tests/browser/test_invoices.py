"""Invoices in the browser. At phone width (375 px) Café Aurora's manager opens the invoices
list, an invoice and downloads its PDF; the owner of Rosemary & Rye opens the staff invoice
pages, records a delivery and issues a credit note. Every page passes the layout check (no
sideways scroll, 44 px tap targets) with screenshots at 375 and 1280 px."""

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS
from tests.browser.layout import check_page

pytestmark = pytest.mark.browser


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_buyer_opens_invoices_and_downloads_a_pdf_on_a_phone(live_server, small_phone):
    base_url, _ = live_server
    page = small_phone
    page.goto(f"{base_url}/wholesale/rosemary-rye/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.locator("nav a", has_text="Invoices").first.click()
    page.wait_for_selector("#invoices")
    assert page.locator("#invoices tbody tr").count() >= 4
    assert "Overdue" in page.inner_text("#invoices")
    check_page(page, "portal-invoices")

    page.locator("#invoices tbody tr a").first.click()
    page.wait_for_selector("#invoice-lines")
    check_page(page, "portal-invoice")
    with page.expect_download() as info:
        page.click("#download-pdf")
    download = info.value
    path = ARTIFACTS / "portal-invoice.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.startswith("RR-")


def test_staff_invoice_pages_fit_a_phone_and_a_screen(live_server, page):
    base_url, _ = live_server
    admin = f"{base_url}/admin/rosemary-rye"
    page.goto(f"{admin}/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{admin}/invoices")
    page.wait_for_selector("#invoices")
    check_page(page, "staff-invoices")
    page.locator("#invoices tbody tr a").first.click()
    page.wait_for_selector("#invoice-lines")
    check_page(page, "staff-invoice")
    page.click("text=Issue credit note")
    page.wait_for_selector("#credit-lines")
    check_page(page, "staff-credit-note")
    page.goto(f"{admin}/settings/invoicing")
    check_page(page, "staff-invoicing-settings")
    page.goto(f"{admin}/orders?status=out_for_delivery")
    page.locator("#orders tbody tr a").first.click()
    page.click("text=Record delivery")
    page.wait_for_selector("#delivery-lines")
    check_page(page, "staff-record-delivery")
