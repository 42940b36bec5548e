"""In the browser at 375 px: Café Aurora's owner ticks two open invoices, sees their sum, reviews
and pays through the stand-in Checkout; the test posts the signed webhook Stripe would send; both
invoices then show paid and the bakery's receivables drop by the sum."""

from __future__ import annotations

import re

import pytest

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page
from tests.browser.stripe_on import checkout_session_ids, post_signed
from tests.support.stripe_fake import event

pytestmark = pytest.mark.browser

SLUG = "rosemary-rye"


def _minor(text: str) -> int:
    """'£1,234.56' -> 123456."""
    digits = re.sub(r"[^\d.]", "", text)
    return round(float(digits) * 100)


def _owed(page, base_url) -> int:
    page.goto(f"{base_url}/admin/{SLUG}/receivables")
    return _minor(page.locator("#receivables-totals .figure").first.inner_text())


def test_a_buyer_pays_two_invoices_at_once_on_a_phone(
    live_server, browser, phone_page, payments_on
):
    base_url, _ = live_server
    staff = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    staff.goto(f"{base_url}/admin/{SLUG}/login")
    staff.fill("#email", f"owner@{SLUG}.example")
    staff.fill("#password", DEMO_PASSWORD)
    staff.click("main button[type=submit]")
    staff.wait_for_load_state()
    owed_before = _owed(staff, base_url)

    page = phone_page
    page.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<h1>Stripe Checkout (stand-in)</h1>"
        ),
    )
    page.goto(f"{base_url}/wholesale/{SLUG}/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}/wholesale/{SLUG}/invoices?status=unpaid")
    boxes = page.locator("#invoices input[name=invoice]")
    assert boxes.count() >= 2
    balances = [int(boxes.nth(i).get_attribute("data-balance")) for i in range(2)]
    numbers = [
        boxes.nth(i).locator("xpath=ancestor::tr").locator("a").first.inner_text() for i in range(2)
    ]
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert _minor(page.inner_text("#pay-sum")) == sum(balances)
    check_page(page, "pay-invoices-list")
    page.click("#pay-selected")
    page.wait_for_selector("#pay-now")
    assert _minor(page.inner_text("#pay-total")) == sum(balances)
    check_page(page, "pay-invoices-review")
    page.click("#pay-now")
    page.wait_for_selector("text=Stripe Checkout (stand-in)")

    (checkout,) = payments_on.of("POST", "/v1/checkout/sessions")
    session_id = checkout_session_ids(payments_on)[-1]
    assert checkout.header("Stripe-Account") == "acct_demo_pay"
    meta = {
        k[len("metadata[") : -1]: v for k, v in checkout.params.items() if k.startswith("metadata[")
    }
    payments_on.put(
        {
            "id": "pi_browser",
            "object": "payment_intent",
            "amount": sum(balances),
            "amount_received": sum(balances),
            "status": "succeeded",
            "latest_charge": "ch_browser",
            "metadata": meta,
        }
    )
    payments_on.put(
        {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "complete",
            "payment_status": "paid",
            "payment_intent": "pi_browser",
            "metadata": meta,
        }
    )
    completed = event(
        "evt_browser_cs", "checkout.session.completed", {"id": session_id}, account="acct_demo_pay"
    )
    assert post_signed(staff, base_url, completed) == 200

    page.goto(f"{base_url}/wholesale/{SLUG}/invoices?paid=1")
    assert page.locator("#paid-notice").is_visible()
    for number in numbers:
        row = page.locator("#invoices tr", has=page.locator(f"a:text-is('{number}')"))
        assert "Paid" in row.inner_text()
    check_page(page, "pay-invoices-paid")
    page.click("text=Pay automatically")
    page.wait_for_selector("#save-card")
    check_page(page, "pay-invoices-autopay")
    assert _owed(staff, base_url) == owed_before - sum(balances)
    check_page(staff, "pay-invoices-ageing-after")
    staff.context.close()
