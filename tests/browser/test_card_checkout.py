"""In the browser at 375 px: Rosemary & Rye lets buyers choose card now at checkout. Corner
Deli's buyer (not Café Aurora's: an invoice for Aurora would take the credit on account other
browser tests look for) picks "Card now", leaves the stand-in Checkout without paying (the
order waits, with Pay now and Cancel), pays on the second try; the test posts the signed
webhook Stripe would send, and the buyer's return shows the order confirmed and paid. The
owner's Online payments page shows the setting."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from config.root.demo import DEMO_PASSWORD
from tests.browser.layout import check_page
from tests.browser.stripe_on import checkout_session_ids, post_signed
from tests.support.stripe_fake import event

pytestmark = pytest.mark.browser

SLUG = "rosemary-rye"


@pytest.fixture
def card_now(live_server, payments_on):
    """Checkout offers both on account and card now; back to on account afterwards."""
    from billing.card_checkout import set_checkout_payment
    from config.extensions import db
    from tenants.models import Tenant
    from tenants.scoping import bind_tenant

    _, app = live_server

    def choose(choice):
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
            bind_tenant(db.session, tenant.id)
            set_checkout_payment(db.session, tenant, actor=None, choice=choice)
            db.session.commit()

    choose("both")
    try:
        yield payments_on
    finally:
        choose("account")


def _latest_session(fake) -> str:
    """The path of the Checkout Session the stand-in created last."""
    return "/v1/checkout/sessions/" + checkout_session_ids(fake)[-1]


def _sign_in_buyer(page, base_url):
    page.goto(f"{base_url}/wholesale/{SLUG}/login")
    page.fill("#email", "orders@corner-deli.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_a_buyer_pays_by_card_at_checkout_on_a_phone(live_server, browser, phone_page, card_now):
    base_url, _ = live_server
    page = phone_page
    page.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<h1>Stripe Checkout (stand-in)</h1>"
        ),
    )
    _sign_in_buyer(page, base_url)
    page.goto(f"{base_url}/wholesale/{SLUG}/catalog")
    first_product = page.locator("form.qty-form").first
    first_product.locator("input[name=quantity]").fill("60")
    with page.expect_response(lambda r: "/cart/add" in r.url):
        first_product.locator("button[type=submit]").click()
    page.goto(f"{base_url}/wholesale/{SLUG}/cart")
    page.wait_for_selector("#payment")
    page.check("input[name=payment][value=card]")
    check_page(page, "card-checkout-cart")
    # The last date offered: other browser tests order for the nearer ones.
    last_day = page.locator("#delivery_date option").last.get_attribute("value")
    page.select_option("#delivery_date", last_day)
    page.locator("#checkout button[type=submit]").last.click()
    page.wait_for_load_state()
    if page.locator("#allow_second_order").count():  # an open order that day and place already
        page.check("#allow_second_order")
        page.check("input[name=payment][value=card]")
        page.locator("#checkout button[type=submit]").last.click()
    page.wait_for_selector("text=Stripe Checkout (stand-in)")

    # The buyer comes back without paying: the order waits, nothing is confirmed.
    first = card_now.of("POST", "/v1/checkout/sessions")[-1]
    order_url = first.params["cancel_url"]
    page.goto(order_url)
    page.wait_for_selector("#awaiting-payment")
    assert "Awaiting payment" in page.inner_text("h1")
    assert "without paying" in page.inner_text("#awaiting-payment")
    check_page(page, "card-checkout-awaiting")

    # Pay now: a new Checkout page (the first was left); Stripe says it is paid.
    card_now.objects[_latest_session(card_now)]["status"] = "expired"
    page.click("#awaiting-payment button:text('Pay now')")
    page.wait_for_selector("text=Stripe Checkout (stand-in)")
    second = card_now.of("POST", "/v1/checkout/sessions")[-1]
    session_path = _latest_session(card_now)
    session_id = session_path.rsplit("/", 1)[1]
    meta = {
        k[len("metadata[") : -1]: v for k, v in second.params.items() if k.startswith("metadata[")
    }
    amount = int(second.params["line_items[0][price_data][unit_amount]"])
    card_now.put(
        {
            "id": "pi_card_browser",
            "object": "payment_intent",
            "amount": amount,
            "amount_received": amount,
            "status": "succeeded",
            "latest_charge": "ch_card_browser",
            "metadata": meta,
        }
    )
    stored = card_now.objects[session_path]
    stored.update(status="complete", payment_status="paid", payment_intent="pi_card_browser")
    completed = event(
        "evt_card_browser",
        "checkout.session.completed",
        {"id": session_id},
        account="acct_demo_pay",
    )
    assert post_signed(page, base_url, completed) == 200

    page.goto(second.params["success_url"])
    page.wait_for_selector("#paid-by-card")
    assert re.search(r"Confirmed", page.inner_text("h1"))
    assert "Your payment is received" in page.inner_text("main")
    check_page(page, "card-checkout-paid")


def test_the_owner_chooses_what_checkout_offers(live_server, browser, card_now):
    base_url, _ = live_server
    page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    page.goto(f"{base_url}/admin/{SLUG}/login")
    page.fill("#email", f"owner@{SLUG}.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base_url}/admin/{SLUG}/online-payments")
    page.wait_for_selector("#checkout-payment")
    assert page.is_checked("#checkout-payment input[value=both]")
    check_page(page, "card-checkout-setting")

    # A customer's own choice, on their billing page.
    page.goto(
        f"{base_url}/admin/{SLUG}/customers/{_customer_id(live_server, 'Corner Deli')}/invoicing"
    )
    page.wait_for_selector("#checkout_payment")
    assert "How this customer pays at checkout" in page.inner_text("main")
    check_page(page, "card-checkout-customer-billing")
    # The home page counts the demo's order awaiting its card payment.
    page.goto(f"{base_url}/admin/{SLUG}/")
    assert "Awaiting card payment" in page.inner_text("main")
    check_page(page, "card-checkout-staff-home")
    page.context.close()


def _customer_id(live_server, name: str):
    from config.extensions import db
    from tenants.customers.models import Customer
    from tenants.models import Tenant
    from tenants.scoping import bind_tenant

    _, app = live_server
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        bind_tenant(db.session, tenant.id)
        return db.session.scalar(select(Customer.id).where(Customer.business_name == name))
