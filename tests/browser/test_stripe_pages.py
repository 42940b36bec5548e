"""In the browser, at 375 and 1280 px: Plan and billing and Online payments with Stripe off
(the demo as shipped: no pay buttons) and on (the stand-in), and the owner sent to Checkout."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page
from tests.support.stripe_fake import CONNECT_SECRET, PLATFORM_SECRET, FakeStripe

pytestmark = pytest.mark.browser


def _sign_in(page, base_url, slug):
    page.goto(f"{base_url}/admin/{slug}/login")
    page.fill("#email", f"owner@{slug}.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_plan_and_payments_pages_without_stripe(live_server, phone_page):
    base_url, _ = live_server
    page = phone_page
    _sign_in(page, base_url, "rosemary-rye")
    page.goto(f"{base_url}/admin/rosemary-rye/plan")
    assert "Your plan: Professional" in page.inner_text("#subscription")
    assert "€129.00 on" in page.inner_text("#next-payment")
    assert page.get_by_role("button", name="Request upgrade to Enterprise").is_visible()
    assert page.locator("text=Subscribe to").count() == 0
    check_page(page, "stripe-plan-off")
    page.goto(f"{base_url}/admin/rosemary-rye/online-payments")
    assert "not set up on this platform" in page.inner_text("#connect-status")
    check_page(page, "stripe-payments-off")


@pytest.fixture
def stripe_on_live(live_server):
    """Stripe on for the live server (stand-in client), Rosemary & Rye a platform customer
    with a connected account Stripe still wants details for; all undone afterwards."""
    from config.extensions import db
    from tenants.models import Plan, Tenant

    _, app = live_server
    settings = app.config["SETTINGS"]
    fields = (
        "stripe_customer_id",
        "stripe_account_id",
        "stripe_account_status",
        "stripe_account_due",
    )
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "rosemary-rye"))
        before = {f: getattr(tenant, f) for f in fields}
        tenant.stripe_customer_id = "cus_demo_rr"
        tenant.stripe_account_id = "acct_demo_rr"
        tenant.stripe_account_status = "restricted"
        tenant.stripe_account_due = ["external_account", "individual.verification.document"]
        prices = {p.code: p.stripe_price_id for p in db.session.scalars(select(Plan))}
        for plan in db.session.scalars(select(Plan)):
            plan.stripe_price_id = f"price_{plan.code}"
        db.session.commit()
    app.config["SETTINGS"] = dataclasses.replace(
        settings,
        stripe_secret_key="sk_test_stand_in",
        stripe_webhook_secret=PLATFORM_SECRET,
        stripe_connect_webhook_secret=CONNECT_SECRET,
    )
    fake = FakeStripe()
    app.extensions["stripe_http_client"] = fake
    try:
        yield fake
    finally:
        app.config["SETTINGS"] = settings
        app.extensions.pop("stripe_http_client", None)
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "rosemary-rye"))
            for f, value in before.items():
                setattr(tenant, f, value)
            for plan in db.session.scalars(select(Plan)):
                plan.stripe_price_id = prices[plan.code]
            db.session.commit()


def test_plan_and_connect_pages_with_stripe_and_checkout(live_server, phone_page, stripe_on_live):
    base_url, _ = live_server
    page = phone_page
    page.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<h1>Stripe Checkout (stand-in)</h1>"
        ),
    )
    _sign_in(page, base_url, "rosemary-rye")
    page.goto(f"{base_url}/admin/rosemary-rye/online-payments")
    status = page.inner_text("#connect-status")
    assert "Restricted" in status and "acct_demo_rr" in status
    assert "individual: verification: document" in page.inner_text("#connect-due")
    assert page.get_by_role("button", name="Continue set-up on Stripe").is_visible()
    check_page(page, "stripe-connect-restricted")

    page.goto(f"{base_url}/admin/rosemary-rye/plan")
    assert page.get_by_role("button", name="Manage card and invoices on Stripe").is_visible()
    check_page(page, "stripe-plan-on")
    page.locator("#tier-enterprise").get_by_role("button", name="Subscribe to Enterprise").click()
    page.wait_for_selector("text=Stripe Checkout (stand-in)")
    assert page.url.startswith("https://checkout.stripe.com/c/pay/")
    (checkout,) = stripe_on_live.of("POST", "/v1/checkout/sessions")
    assert checkout.params["line_items[0][price]"] == "price_enterprise"
    assert checkout.params["customer"] == "cus_demo_rr"
