"""Card now at checkout: the order's invoice is issued and paid through Stripe Checkout on the
bakery's account before the order counts. An abandoned payment (the buyer cancels, the session
expires, the sweep finds it dead) leaves no confirmed order and a void invoice; a paid one is
confirmed exactly once whichever of the webhook, its replay and the buyer's return comes first.
Two bakeries throughout; Stripe is the stand-in HTTP client under the real library."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from tests.billing.conftest import set_stripe
from tests.support.factories import add_contact, make_customer, tenant_session
from tests.support.orders import make_cafe, set_days
from tests.support.stripe_fake import event, post_event

MONDAY = "2026-12-07 09:00"
TUESDAY = "2026-12-08"


@pytest.fixture
def frozen():
    with freeze_time(MONDAY) as clock:
        yield clock


def _choose(app, bakery, choice):
    from billing.card_checkout import set_checkout_payment
    from tests.support.catalog import tenant_of

    with tenant_session(app, bakery.id) as session:
        set_checkout_payment(session, tenant_of(session, bakery), actor=None, choice=choice)


@pytest.fixture
def cafes(app, two_bakeries, stripe_fake, frozen):
    """North and South on Professional with active connected accounts, checkout offering both;
    each has Café Aurora (buyer@example.com may order but not pay invoices) and a second
    customer of North's."""
    north, south = two_bakeries
    made = {}
    for bakery, account in ((north, "acct_north"), (south, "acct_south")):
        set_stripe(app, bakery, stripe_account_id=account, stripe_account_status="active")
        set_days(app, bakery, {1: (1, time(14)), 3: (1, time(14))})
        made[bakery.slug] = make_cafe(app, bakery, billing_email="accounts@aurora.example")
        _choose(app, bakery, "both")
    deli = make_customer(app, north, "Harbour Deli")
    add_contact(
        app, north, deli["id"], email="deli@example.com", grants=("view_orders", "create_orders")
    )
    other = {**deli, "bread": made[north.slug]["bread"]}
    return north, south, made[north.slug], made[south.slug], other


def _buyer(app, bakery, cafe, email="buyer@example.com", qty=10):
    from tests.support.factories import sign_in_buyer

    client = app.test_client()
    sign_in_buyer(client, bakery, email)
    added = client.post(
        f"/wholesale/{bakery.slug}/cart/add",
        data={"product_id": str(cafe["bread"]), "quantity": qty},
    )
    assert added.status_code in (200, 302)
    return client


def _checkout(client, bakery, cafe, payment="card", key="key-1"):
    return client.post(
        f"/wholesale/{bakery.slug}/checkout",
        data={
            "location_id": str(cafe["locations"]["Main Street"]),
            "delivery_date": TUESDAY,
            "po_number": "",
            "notes": "",
            "idempotency_key": key,
            "payment": payment,
        },
    )


def _state(app, bakery) -> dict:
    """The bakery's orders, invoices, cart lines, order emails and timeline, as plain values."""
    from billing.models import Invoice
    from tenants.orders.models import CartLine, Order, OrderEvent
    from tenants.outbox import OutboundEmail

    with tenant_session(app, bakery.id) as session:
        orders = [(o.number, o.status, o.payment_method) for o in session.scalars(select(Order))]
        invoices = [
            (i.order_id is not None, i.mode, i.paid_minor, i.balance_minor, i.is_void, i.due_date)
            for i in session.scalars(select(Invoice))
        ]
        mails = sorted(
            m.template
            for m in session.scalars(select(OutboundEmail))
            if m.template in ("order_confirmation", "order_received", "invoice_issued")
        )
        settled = session.scalar(
            select(func.count())
            .select_from(OrderEvent)
            .where(OrderEvent.from_status == "awaiting_payment")
        )
        cart = session.scalar(select(func.count()).select_from(CartLine))
        return {
            "orders": orders,
            "invoices": invoices,
            "mails": mails,
            "moves": settled,
            "cart": cart,
        }


def _checkout_call(stripe_fake):
    (call,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    return call


def _paid_on_stripe(stripe_fake, call, *, session_id="cs_test1", pi="pi_card"):
    """What Stripe holds once the buyer paid: the completed session and its PaymentIntent."""
    meta = {
        k[len("metadata[") : -1]: v for k, v in call.params.items() if k.startswith("metadata[")
    }
    amount = int(call.params["line_items[0][price_data][unit_amount]"])
    stripe_fake.put(
        {
            "id": pi,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": amount,
            "status": "succeeded",
            "latest_charge": "ch_card",
            "metadata": meta,
        }
    )
    stripe_fake.put(
        {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "complete",
            "payment_status": "paid",
            "payment_intent": pi,
            "metadata": meta,
        }
    )
    return amount


def test_card_now_places_the_order_awaiting_payment_with_its_invoice_and_tells_nobody(
    app, cafes, stripe_fake
):
    from datetime import date

    from config.clock import utcnow
    from tenants.production.sheet import production_sheet
    from tests.support.catalog import tenant_of

    north, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    response = _checkout(client, south, cafe)

    assert response.status_code == 303
    assert response.headers["Location"] == "https://checkout.stripe.com/c/pay/cs_test1"
    call = _checkout_call(stripe_fake)
    assert call.header("Stripe-Account") == "acct_south"
    assert call.params["line_items[0][price_data][unit_amount]"] == "2675"  # 10 x 2.50 + 7 %
    assert call.params["metadata[bakery]"] == "south-bakery"
    assert call.params["success_url"].endswith("/paid")
    assert call.header("Idempotency-Key").startswith("invoices-")
    state = _state(app, south)
    assert state["orders"] == [(1, "awaiting_payment", "card")]
    (invoice,) = state["invoices"]
    assert invoice[:5] == (True, "card_at_checkout", 0, 2675, False)
    assert str(invoice[5]) == "2026-12-07"  # due on receipt
    assert state["mails"] == [] and state["cart"] == 1  # nobody told; the cart kept
    assert _state(app, north)["orders"] == []
    # Not on the production sheet until it is paid.
    with tenant_session(app, south.id) as session:
        sheet = production_sheet(
            session, tenant_of(session, south), day=date(2026, 12, 8), now=utcnow()
        )
        assert sheet.orders == 0 and sheet.lines == []


def test_the_webhook_confirms_the_order_exactly_once_and_the_replay_changes_nothing(
    app, cafes, stripe_fake
):
    north, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    amount = _paid_on_stripe(stripe_fake, _checkout_call(stripe_fake))
    done = event("evt_1", "checkout.session.completed", {"id": "cs_test1"}, account="acct_south")
    paid = event("evt_2", "payment_intent.succeeded", {"id": "pi_card"}, account="acct_south")
    for body in (done, paid, done):
        assert post_event(app.test_client(), "connect", body).status_code == 200

    state = _state(app, south)
    assert state["orders"] == [(1, "confirmed", "card")]
    assert state["invoices"][0][2:5] == (amount, 0, False)
    assert state["moves"] == 1
    assert state["mails"] == ["invoice_issued", "order_confirmation", "order_received"]
    assert state["cart"] == 0
    assert _state(app, north)["orders"] == []
    page = client.get(f"/wholesale/{south.slug}/orders/{_order_id(app, south)}").get_data(
        as_text=True
    )
    assert "Paid by card at checkout." in page and "Change quantities" not in page


def _order_id(app, bakery):
    from tenants.orders.models import Order

    with tenant_session(app, bakery.id) as session:
        return session.scalar(select(Order.id).order_by(Order.number.desc()).limit(1))


def test_the_buyers_return_confirms_before_the_webhook_which_then_changes_nothing(
    app, cafes, stripe_fake
):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    _paid_on_stripe(stripe_fake, _checkout_call(stripe_fake))
    order_id = _order_id(app, south)

    back = client.get(f"/wholesale/{south.slug}/orders/{order_id}/paid", follow_redirects=True)
    assert "Your payment is received and order 1 is placed" in back.get_data(as_text=True)
    done = event("evt_1", "checkout.session.completed", {"id": "cs_test1"}, account="acct_south")
    assert post_event(app.test_client(), "connect", done).status_code == 200
    state = _state(app, south)
    assert state["orders"] == [(1, "confirmed", "card")] and state["moves"] == 1
    assert state["mails"].count("order_confirmation") == 1


def test_an_expired_session_releases_the_order_and_voids_its_invoice(app, cafes, stripe_fake):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    stripe_fake.objects["/v1/checkout/sessions/cs_test1"]["status"] = "expired"
    expired = event("evt_x", "checkout.session.expired", {"id": "cs_test1"}, account="acct_south")
    assert post_event(app.test_client(), "connect", expired).status_code == 200
    assert post_event(app.test_client(), "connect", expired).status_code == 200  # replayed

    state = _state(app, south)
    assert state["orders"] == [(1, "cancelled", "card")]
    assert state["invoices"][0][4] is True  # void, its number kept
    assert state["mails"] == [] and state["cart"] == 1 and state["moves"] == 1


def test_the_buyer_cancels_the_payment_stripe_closes_the_session_and_the_cart_stays(
    app, cafes, stripe_fake
):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    order_id = _order_id(app, south)
    page = client.get(f"/wholesale/{south.slug}/orders/{order_id}?payment=left")
    text = page.get_data(as_text=True)
    assert "You left the payment page without paying" in text and "Pay now" in text

    response = client.post(f"/wholesale/{south.slug}/orders/{order_id}/cancel-payment")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cart")
    (expire,) = stripe_fake.of("POST", "/v1/checkout/sessions/cs_test1/expire")
    assert expire.header("Stripe-Account") == "acct_south"
    state = _state(app, south)
    assert state["orders"] == [(1, "cancelled", "card")] and state["cart"] == 1
    assert state["invoices"][0][4] is True


def test_a_cancel_after_the_payment_went_through_keeps_the_order(app, cafes, stripe_fake):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    _paid_on_stripe(stripe_fake, _checkout_call(stripe_fake))  # Stripe refuses to expire it
    order_id = _order_id(app, south)
    response = client.post(f"/wholesale/{south.slug}/orders/{order_id}/cancel-payment")
    assert response.status_code == 302
    state = _state(app, south)
    assert state["orders"] == [(1, "confirmed", "card")] and state["moves"] == 1


def test_pay_now_again_opens_a_new_session_after_the_first_expired(app, cafes, stripe_fake, frozen):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    order_id = _order_id(app, south)
    frozen.tick(timedelta(minutes=40))
    stripe_fake.objects["/v1/checkout/sessions/cs_test1"]["status"] = "expired"
    again = client.post(f"/wholesale/{south.slug}/orders/{order_id}/pay")
    assert again.status_code == 303
    first, second = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert second.header("Idempotency-Key").endswith("-2")
    assert _state(app, south)["orders"] == [(1, "awaiting_payment", "card")]


def test_a_double_submit_gets_the_same_order_and_checkout_page(app, cafes, stripe_fake):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    first = _checkout(client, south, cafe)
    second = _checkout(client, south, cafe)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stripe_fake.of("POST", "/v1/checkout/sessions")) == 1
    assert len(_state(app, south)["orders"]) == 1


def test_the_sweep_releases_dead_payments_keeps_open_ones_and_is_safe_twice(
    app, cafes, stripe_fake, frozen
):
    from billing.card_checkout import sweep_unpaid
    from config.clock import utcnow
    from tests.support.catalog import tenant_of

    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    frozen.tick(timedelta(minutes=50))

    def sweep():
        with tenant_session(app, south.id) as session:
            return sweep_unpaid(session, tenant_of(session, south), now=utcnow())

    assert sweep() == 0  # Stripe says the session is still open: keep waiting
    stripe_fake.objects["/v1/checkout/sessions/cs_test1"]["status"] = "expired"
    assert sweep() == 1
    assert sweep() == 0
    state = _state(app, south)
    assert state["orders"] == [(1, "cancelled", "card")] and state["invoices"][0][4] is True


def test_checkout_offers_what_the_bakery_and_the_customer_choose(app, cafes, stripe_fake):
    north, south, north_cafe, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    cart = client.get(f"/wholesale/{south.slug}/cart").get_data(as_text=True)
    assert 'value="card"' in cart and 'value="account"' in cart

    _choose(app, south, "card")
    only_card = client.get(f"/wholesale/{south.slug}/cart").get_data(as_text=True)
    assert "Pay by card and place order" in only_card
    refused = _checkout(client, south, cafe, payment="account")
    assert refused.status_code == 422
    assert "takes payment by card at checkout" in refused.get_data(as_text=True)
    assert _state(app, south)["orders"] == []

    # The customer's own setting wins over the bakery's.
    from billing.settings import update_customer_billing
    from tenants.customers.models import Customer
    from tests.support.catalog import tenant_of

    with tenant_session(app, south.id) as session:
        customer = session.scalar(select(Customer).where(Customer.id == cafe["id"]))
        update_customer_billing(
            session,
            tenant_of(session, south),
            actor=None,
            customer=customer,
            invoicing_mode="",
            billing_address="",
            checkout_payment="account",
        )
    plain = client.get(f"/wholesale/{south.slug}/cart").get_data(as_text=True)
    assert 'value="card"' not in plain
    assert _checkout(client, south, cafe, payment="card").status_code == 422
    assert _checkout(client, south, cafe, payment="account", key="k2").status_code == 302
    assert _state(app, south)["orders"] == [(1, "confirmed", "account")]


def test_without_online_payments_checkout_offers_on_account_only(app, cafes, stripe_fake):
    _, south, _, cafe, _ = cafes
    set_stripe(app, south, stripe_account_status="restricted")
    _choose(app, south, "card")
    client = _buyer(app, south, cafe)
    cart = client.get(f"/wholesale/{south.slug}/cart").get_data(as_text=True)
    assert 'value="card"' not in cart and "Pay by card" not in cart
    assert _checkout(client, south, cafe, payment="account").status_code == 302
    assert stripe_fake.of("POST", "/v1/checkout/sessions") == []


def test_stripe_down_at_checkout_places_nothing_and_keeps_the_cart(app, cafes, stripe_fake):
    _, south, _, cafe, _ = cafes
    client = _buyer(app, south, cafe)
    stripe_fake.failures = [500] * 5
    response = _checkout(client, south, cafe)
    assert response.status_code == 503
    assert "nothing was charged" in response.get_data(as_text=True)
    state = _state(app, south)
    assert state["orders"] == [] and state["invoices"] == [] and state["cart"] == 1


def test_another_bakerys_or_customers_order_answers_404_on_the_pay_pages(app, cafes, stripe_fake):
    north, south, north_cafe, cafe, other = cafes
    client = _buyer(app, north, north_cafe)
    _checkout(client, north, north_cafe)
    theirs = _order_id(app, north)
    deli = _buyer(app, north, other, email="deli@example.com")
    foreign = _buyer(app, south, cafe)
    for c, slug in ((deli, north.slug), (foreign, south.slug)):
        assert c.post(f"/wholesale/{slug}/orders/{theirs}/pay").status_code == 404
        assert c.get(f"/wholesale/{slug}/orders/{theirs}/paid").status_code == 404
        assert c.post(f"/wholesale/{slug}/orders/{theirs}/cancel-payment").status_code == 404
    assert _state(app, north)["orders"] == [(1, "awaiting_payment", "card")]


def test_credit_on_account_that_covers_the_order_confirms_it_without_stripe(
    app, cafes, stripe_fake
):
    from billing.payments import record_payment
    from config.clock import utcnow
    from tenants.customers.models import Customer
    from tests.support.catalog import tenant_of

    _, south, _, cafe, _ = cafes
    with tenant_session(app, south.id) as session:
        customer = session.scalar(select(Customer).where(Customer.id == cafe["id"]))
        record_payment(
            session,
            tenant_of(session, south),
            actor=None,
            customer=customer,
            amount_minor=5_000,
            method="bank_transfer",
            received_on=utcnow().date(),
            allocations={},
            now=utcnow(),
        )
    client = _buyer(app, south, cafe)
    response = _checkout(client, south, cafe)
    assert response.status_code == 302
    assert stripe_fake.of("POST", "/v1/checkout/sessions") == []
    assert _state(app, south)["orders"] == [(1, "confirmed", "card")]


def test_a_contact_without_create_orders_cannot_pay_for_an_order(app, cafes, stripe_fake):
    north, _, north_cafe, _, _ = cafes
    add_contact(app, north, north_cafe["id"], email="viewer@example.com", grants=("view_orders",))
    client = _buyer(app, north, north_cafe)
    _checkout(client, north, north_cafe)
    from tests.support.factories import sign_in_buyer

    viewer = app.test_client()
    sign_in_buyer(viewer, north, "viewer@example.com")
    theirs = _order_id(app, north)
    assert viewer.post(f"/wholesale/{north.slug}/orders/{theirs}/pay").status_code == 403
    assert viewer.post(f"/wholesale/{north.slug}/orders/{theirs}/cancel-payment").status_code == 403


def test_with_stripe_switched_off_meanwhile_the_sweep_releases_the_order(
    app, cafes, stripe_fake, frozen
):
    import dataclasses

    from billing.card_checkout import sweep_unpaid
    from config.clock import utcnow
    from tests.support.catalog import tenant_of

    _, south, _, cafe, _ = cafes
    _checkout(_buyer(app, south, cafe), south, cafe)
    frozen.tick(timedelta(minutes=20))
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = dataclasses.replace(settings, stripe_secret_key="")
    try:
        with tenant_session(app, south.id) as session:
            assert sweep_unpaid(session, tenant_of(session, south), now=utcnow()) == 0  # too soon
        frozen.tick(timedelta(minutes=30))
        with tenant_session(app, south.id) as session:
            assert sweep_unpaid(session, tenant_of(session, south), now=utcnow()) == 1
    finally:
        app.config["SETTINGS"] = settings
    assert _state(app, south)["orders"] == [(1, "cancelled", "card")]


def test_where_the_bakery_reviews_orders_a_paid_one_waits_for_review(app, cafes, stripe_fake):
    from tenants.models import Tenant
    from tests.support.factories import platform_session

    _, south, _, cafe, _ = cafes
    with platform_session(app) as session:
        session.get(Tenant, south.id).order_approval_required = True
    client = _buyer(app, south, cafe)
    _checkout(client, south, cafe)
    _paid_on_stripe(stripe_fake, _checkout_call(stripe_fake))
    done = event("evt_1", "checkout.session.completed", {"id": "cs_test1"}, account="acct_south")
    assert post_event(app.test_client(), "connect", done).status_code == 200
    state = _state(app, south)
    assert state["orders"] == [(1, "pending_review", "card")] and state["moves"] == 1


def test_no_payment_reminder_goes_out_for_an_invoice_whose_order_waits_at_checkout(
    app, cafes, stripe_fake, frozen
):
    from billing.dunning import send_due_reminders
    from config.clock import utcnow
    from tests.support.catalog import tenant_of

    _, south, _, cafe, _ = cafes
    _checkout(_buyer(app, south, cafe), south, cafe)
    frozen.tick(timedelta(days=20))  # no sweep ran: the order still waits, its invoice long due
    with tenant_session(app, south.id) as session:
        assert send_due_reminders(session, tenant_of(session, south), now=utcnow()) == 0
