"""Standing orders in the browser, on the demo's Wednesday standing order of Café Aurora:

- at 375 px, the buyer opens the preview email's "skip this delivery" link (no sign-in), sees
  "Skip Wednesday ...?", skips, and opening the link again says it is already skipped;
- at 375 px, the buyer's standing orders page lists the next six weeks, and the detail page;
- the staff pages (list, detail, the customer's card, the set-up form, the calendar settings),
  each checked and saved at 375 and 1280 px by check_page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from config.clock import utcnow
from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page
from tests.support.factories import link_in

pytestmark = pytest.mark.browser


def _send_preview(app):
    """Mail Café Aurora's preview for its next open Wednesday, as the hourly job would an hour
    before that cut-off; returns the delivery date."""
    from config.extensions import db
    from tenants.customers.models import Customer
    from tenants.models import Tenant
    from tenants.orders.standing import coming_occurrence
    from tenants.orders.standing_generate import send_previews
    from tenants.scoping import bind_tenant

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "rosemary-rye"))
        bind_tenant(db.session, tenant.id)
        customer = db.session.scalar(
            select(Customer).where(Customer.business_name == "Café Aurora")
        )
        coming = coming_occurrence(db.session, tenant, customer, now=utcnow())
        assert coming is not None and coming.problems == ()
        at = coming.cutoff_at - timedelta(hours=1)
        assert send_previews(db.session, tenant, now=at) == 1
        db.session.commit()
        # The rows are due at that (future) hour: the mail job sends them as it would then.
        from jobs.mail import deliver_email
        from tenants.outbox import OutboundEmail

        rows = db.session.scalars(
            select(OutboundEmail.id).where(OutboundEmail.template == "standing_order_preview")
        ).all()
        for email_id in rows:
            deliver_email(tenant, str(email_id), now=at)
        db.session.commit()
        db.session.remove()
        return coming.delivery_date


def test_a_buyer_skips_a_delivery_from_the_preview_email_on_a_phone(
    live_server, phone_page, smtp_server
):
    base_url, app = live_server
    day = _send_preview(app)
    found = [m for m in smtp_server.messages if "owner@cafe-aurora.example" in m["To"]]
    assert found, [(m["To"], m["Subject"]) for m in smtp_server.messages]
    message = found[-1]
    assert "Your standing order for Wednesday" in message["Subject"]
    page = phone_page
    page.goto(base_url + link_in(message, "/standing/skip/"))
    heading = page.locator("h1").inner_text()
    assert heading == f"Skip Wednesday {day.day} {day:%b}?"
    check_page(page, "portal-standing-skip-ask")
    page.click("#confirm-skip")
    page.wait_for_selector("#skip-card[data-state=done]")
    assert "is skipped" in page.locator("h1").inner_text()
    check_page(page, "portal-standing-skip-done")
    page.goto(page.url)  # the email's link again: it now says so, and offers nothing to press
    page.wait_for_selector("#skip-card[data-state=skipped]")
    assert page.locator("#confirm-skip").count() == 0
    assert "already skipped" in page.locator("h1").inner_text()


def test_the_buyer_sees_the_next_six_weeks_on_a_phone(live_server, phone_page):
    base_url, _ = live_server
    page = phone_page
    page.goto(f"{base_url}/wholesale/rosemary-rye/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base_url}/wholesale/rosemary-rye/standing")
    rows = page.locator("#standing-weeks tbody tr")
    assert rows.count() == 6
    assert page.locator("#standing-weeks tr[data-state=skipped]").count() >= 1
    check_page(page, "portal-standing-list")
    page.click("#standing-orders a")
    page.wait_for_selector("#standing-lines")
    check_page(page, "portal-standing-detail")
    page.goto(f"{base_url}/wholesale/rosemary-rye/standing/new")
    check_page(page, "portal-standing-new")


def test_the_staff_standing_order_pages_fit_a_phone_and_a_screen(live_server, page):
    base_url, _ = live_server
    admin = f"{base_url}/admin/rosemary-rye"
    page.goto(f"{admin}/login")
    page.fill("#email", "owner@rosemary-rye.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{admin}/standing")
    assert "Wednesday bread" in page.locator("#standing-orders").inner_text()
    check_page(page, "staff-standing-list")
    page.click("#standing-orders tbody tr td:nth-child(2) a")
    page.wait_for_selector("#standing-weeks")
    check_page(page, "staff-standing-detail")
    page.locator("a", has_text="Café Aurora").first.click()
    page.wait_for_selector("#standing-orders")
    check_page(page, "staff-customer-standing")
    page.click("text=New standing order")
    page.wait_for_selector("#standing-products")
    check_page(page, "staff-standing-new")
    page.goto(f"{admin}/settings/delivery")
    page.wait_for_selector("#standing-settings")
    check_page(page, "staff-standing-settings")
