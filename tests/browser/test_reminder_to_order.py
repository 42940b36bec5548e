"""In the browser at 375 px: from the weekly reminder email's link to a placed order in at most
three taps after the page opens (counted); and every new page of the follow-ups (the reminder's
Continue page, the pre-filled cart, "not available right now", rating an order, the staff's
reminder time and feedback list) passes the layout check at 375 and 1280 px."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page
from tests.support.factories import add_contact, make_customer, tenant_session

pytestmark = pytest.mark.browser

SHOP = "rosemary-rye"


def _tap_cafe(app):
    """A fresh café of the demo bakery (so no demo order shares its day) whose last order was
    delivered last week, and this week's reminder to its buyer; returns (email, order id)."""
    from config.clock import at_bakery, utcnow
    from config.extensions import db
    from jobs.reminders import send
    from tenants.catalog.models import Product
    from tenants.models import Tenant
    from tenants.orders.calendar import delivery_calendar
    from tenants.orders.placement import place_order
    from tests.support.orders import customer_row

    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == SHOP))
    bakery = type("Bakery", (), {"id": tenant_id, "slug": SHOP})
    tag = uuid.uuid4().hex[:6]
    cafe = make_customer(app, bakery, f"Tap Café {tag}", locations=("Counter",))
    email = f"tap-{tag}@example.com"
    add_contact(app, bakery, cafe["id"], email=email, grants=("view_orders", "create_orders"))
    now = utcnow()
    with tenant_session(app, tenant_id) as session:
        tenant = session.get(Tenant, tenant_id)
        customer = customer_row(session, cafe["id"])
        products = {
            p.sku: p.id
            for p in session.scalars(select(Product).where(Product.sku.in_(["VIE-CRO", "BRD-BAG"])))
        }
        day = delivery_calendar(
            session, tenant, customer=customer, product_ids=products.values(), now=now
        ).earliest
        order = place_order(
            session,
            tenant,
            customer=customer,
            actor=None,
            lines=[(products["VIE-CRO"], 24), (products["BRD-BAG"], 10)],
            location_id=cafe["locations"]["Counter"],
            delivery_date=day,
            now=now,
        ).order
        # It was last week's, and it arrived.
        order.delivery_date, order.status = day - timedelta(days=7), "delivered"
        order_id = order.id
    with app.app_context():
        from tenants.scoping import bind_tenant

        bind_tenant(db.session, tenant_id)
        tenant = db.session.get(Tenant, tenant_id)
        period = at_bakery(now, tenant).strftime("%Y-%m-%dT%H:%M")
        assert send(tenant, period=period, subject=str(cafe["id"]), now=now) == 1
        db.session.commit()
    return email, order_id


def test_from_the_reminder_email_to_a_placed_order_in_at_most_three_taps(
    live_server, phone_page, smtp_server
):
    base_url, app = live_server
    email, order_id = _tap_cafe(app)
    (message,) = [m for m in smtp_server.messages if m["To"].endswith(f"<{email}>")]
    assert message["Subject"].startswith("Time to order from Rosemary & Rye Bakery: order by ")
    link = re.search(r"https?://\S+/reminder/\S+", message.get_body(("plain",)).get_content())
    page = phone_page
    page.goto(link.group(0))
    check_page(page, "reminder-continue")
    taps = 0

    page.click("#continue")
    taps += 1
    page.wait_for_url("**/cart")
    assert page.locator("#cart-lines tr[data-sku]").count() == 2
    assert "is in your cart at today's prices" in page.inner_text("main")
    check_page(page, "reminder-cart")

    page.click("text=Place order")
    taps += 1
    page.wait_for_selector("text=Thank you! Order")
    assert "Butter croissant" in page.inner_text("#order-lines")
    assert taps <= 3

    # The buyer's other new pages: rating last week's delivery, and "notify me".
    page.goto(f"{base_url}/wholesale/{SHOP}/orders/{order_id}")
    page.click("label.star:has-text('5')")
    page.fill("#comment", "Lovely, thank you")
    page.click("text=Send my rating")
    page.wait_for_selector("#your-rating")
    check_page(page, "portal-order-rating")
    page.goto(f"{base_url}/wholesale/{SHOP}/back-in-stock")
    check_page(page, "portal-back-in-stock")


def test_the_demo_buyer_and_staff_follow_up_pages_fit_a_phone(live_server, phone_page):
    base_url, _ = live_server
    page = phone_page
    page.goto(f"{base_url}/wholesale/{SHOP}/login")
    page.fill("#email", "owner@cafe-aurora.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{base_url}/wholesale/{SHOP}/back-in-stock")
    assert "Hot cross buns" in page.inner_text("#away")
    check_page(page, "portal-back-in-stock-demo")

    page.goto(f"{base_url}/admin/{SHOP}/login")
    page.fill("#email", f"owner@{SHOP}.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{base_url}/admin/{SHOP}/feedback")
    assert "baguettes came a little pale" in page.inner_text("#feedback")
    check_page(page, "admin-feedback")
    page.goto(f"{base_url}/admin/{SHOP}/customers")
    page.click("text=Café Aurora")
    check_page(page, "admin-customer-ratings")
    page.click("text=Change the reminder time")
    assert "Next reminder" in page.inner_text("main")
    check_page(page, "admin-customer-reminder")
