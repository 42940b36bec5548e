"""Buyers pay invoices through Stripe Checkout on the bakery's connected account: the request
Stripe gets, the webhooks (signed for real) that record the money once whatever the order and
repetition, refunds and disputes on the invoices, and one bakery's events never reaching the
other's invoices. Stripe is the stand-in HTTP client under the real library."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from tests.billing.conftest import set_stripe
from tests.support.factories import add_contact, make_customer, sign_in_buyer, tenant_session
from tests.support.receivables import add_invoice
from tests.support.stripe_fake import event, post_event

FROZEN = "2026-12-07 10:00:00"


@dataclass
class Payer:
    bakery: object
    customer_id: object
    invoices: list
    other_invoice: object  # a second customer's, same bakery

    @property
    def base(self):
        return f"/wholesale/{self.bakery.slug}"


def make_payer(app, bakery) -> Payer:
    customer = make_customer(app, bakery, "Café Aurora", payment_terms="net_14")
    add_contact(
        app,
        bakery,
        customer["id"],
        email="payer@example.com",
        grants=("view_orders", "view_invoices", "pay_invoices"),
    )
    first = add_invoice(app, bakery, customer["id"], total=12_000, due_date=date(2026, 12, 10))
    second = add_invoice(app, bakery, customer["id"], total=3_450, due_date=date(2026, 12, 12))
    other = add_invoice(app, bakery, None, total=999)
    return Payer(bakery, customer["id"], [first, second], other)


@pytest.fixture
def fee(app):
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = dataclasses.replace(settings, stripe_application_fee_bps=150)
    yield 150
    app.config["SETTINGS"] = dataclasses.replace(
        app.config["SETTINGS"], stripe_application_fee_bps=0
    )


@pytest.fixture
def payers(app, stripe_fake, customers, fee):
    north, south = customers
    set_stripe(app, north, stripe_account_status="active")
    return make_payer(app, north), make_payer(app, south)


def invoice_state(app, payer) -> dict:
    from billing.models import Invoice

    with tenant_session(app, payer.bakery.id) as session:
        return {
            i.id: (i.paid_minor, i.balance_minor)
            for i in session.scalars(select(Invoice).where(Invoice.id.in_(payer.invoices)))
        }


def stripe_payments(app, payer) -> list:
    from billing.receivables_models import Payment

    with tenant_session(app, payer.bakery.id) as session:
        return [
            (p.stripe_payment_intent_id, p.amount_minor, p.is_void)
            for p in session.scalars(select(Payment).where(Payment.method == "stripe"))
        ]


def pay(client, payer):
    """The buyer picks both invoices, reviews the sum and goes to Checkout: its URL."""
    sign_in_buyer(client, payer.bakery, "payer@example.com")
    query = "&".join(f"invoice={i}" for i in payer.invoices)
    review = client.get(f"{payer.base}/invoices/pay?{query}")
    assert review.status_code == 200
    assert "154.50" in review.get_data(as_text=True)
    response = client.post(
        f"{payer.base}/invoices/pay", data={"invoice": [str(i) for i in payer.invoices]}
    )
    assert response.status_code == 303, response.data[:300]
    return response.headers["Location"]


def succeed(stripe_fake, checkout_call, pi="pi_1"):
    """What Stripe holds once the buyer paid: the PaymentIntent and the completed session."""
    meta = {
        k[len("payment_intent_data[metadata][") : -1]: v
        for k, v in checkout_call.params.items()
        if k.startswith("payment_intent_data[metadata][")
    }
    stripe_fake.put(
        {
            "id": pi,
            "object": "payment_intent",
            "amount": 15_450,
            "amount_received": 15_450,
            "status": "succeeded",
            "latest_charge": "ch_1",
            "metadata": meta,
        }
    )
    session = stripe_fake.calls[-1]  # noqa: F841 - for reading failures
    return meta


def completed_session(stripe_fake, session_id, pi, meta):
    return stripe_fake.put(
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


@freeze_time(FROZEN)
def test_checkout_is_a_direct_charge_with_fee_metadata_and_idempotency(
    app, client, stripe_fake, payers
):
    north, south = payers
    url = pay(client, south)

    (call,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert url == "https://checkout.stripe.com/c/pay/cs_test1"
    assert call.header("Stripe-Account") == "acct_south"
    key = call.header("Idempotency-Key")
    assert key.startswith("invoices-") and key.endswith("-1")
    p = call.params
    assert p["mode"] == "payment"
    assert p["payment_intent_data[application_fee_amount]"] == str(round(15_450 * 0.015))
    assert p["line_items[0][price_data][unit_amount]"] == "12000"
    assert p["line_items[1][price_data][unit_amount]"] == "3450"
    ids = ",".join(str(i) for i in south.invoices)
    for prefix in ("metadata", "payment_intent_data[metadata]"):
        assert p[f"{prefix}[invoice_ids]"] == ids
        assert p[f"{prefix}[bakery]"] == "south-bakery"
        assert p[f"{prefix}[tenant_id]"] == str(south.bakery.id)
    assert p["metadata[online_payment_id]"] == p["payment_intent_data[metadata][online_payment_id]"]

    # A double click gets the same Checkout page back, and Stripe is not asked again.
    again = client.post(
        f"{south.base}/invoices/pay", data={"invoice": [str(i) for i in south.invoices]}
    )
    assert again.headers["Location"] == url
    assert len(stripe_fake.of("POST", "/v1/checkout/sessions")) == 1
    assert invoice_state(app, south)[south.invoices[0]] == (0, 12_000)


@freeze_time(FROZEN)
def test_a_later_attempt_gets_a_new_key(app, client, stripe_fake, payers):
    from billing.online_models import OnlinePayment

    _, south = payers
    pay(client, south)
    with tenant_session(app, south.bakery.id) as session:
        for row in session.scalars(select(OnlinePayment)):
            row.status = "expired"
    pay(client, south)
    first, second = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert first.header("Idempotency-Key")[:-2] == second.header("Idempotency-Key")[:-2]
    assert second.header("Idempotency-Key").endswith("-2")


@freeze_time(FROZEN)
def test_webhooks_out_of_order_and_replayed_record_one_payment(app, client, stripe_fake, payers):
    north, south = payers
    pay(client, south)
    checkout = stripe_fake.of("POST", "/v1/checkout/sessions")[0]
    meta = succeed(stripe_fake, checkout)
    completed_session(stripe_fake, "cs_test1", "pi_1", meta)

    # payment_intent.succeeded arrives before checkout.session.completed.
    paid = event("evt_pi", "payment_intent.succeeded", {"id": "pi_1"}, account="acct_south")
    assert post_event(client, "connect", paid).status_code == 200
    done = event("evt_cs", "checkout.session.completed", {"id": "cs_test1"}, account="acct_south")
    assert post_event(client, "connect", done).status_code == 200
    replay = post_event(client, "connect", paid)
    assert replay.status_code == 200 and replay.get_json()["duplicate"] is True
    # The same state delivered under a new event id changes nothing either.
    again = event("evt_pi2", "payment_intent.succeeded", {"id": "pi_1"}, account="acct_south")
    assert post_event(client, "connect", again).status_code == 200

    assert stripe_payments(app, south) == [("pi_1", 15_450, False)]
    assert invoice_state(app, south) == {
        south.invoices[0]: (12_000, 0),
        south.invoices[1]: (3_450, 0),
    }
    assert stripe_payments(app, north) == []
    assert all(paid == 0 for paid, _ in invoice_state(app, north).values())
    page = client.get(f"{south.base}/invoices").get_data(as_text=True)
    assert page.count(">Paid<") >= 2


@freeze_time(FROZEN)
def test_an_event_for_bakery_a_never_touches_bakery_b(app, client, stripe_fake, payers):
    from billing.stripe_models import StripeConnectEvent

    north, south = payers
    pay(client, south)
    meta = succeed(stripe_fake, stripe_fake.of("POST", "/v1/checkout/sessions")[0])
    # North's account sends an event whose object names South's attempt and invoices.
    body = event("evt_x", "payment_intent.succeeded", {"id": "pi_1"}, account="acct_north")
    assert post_event(client, "connect", body).status_code == 200
    assert meta["tenant_id"] == str(south.bakery.id)

    assert stripe_payments(app, south) == stripe_payments(app, north) == []
    assert all(paid == 0 for paid, _ in invoice_state(app, south).values())
    with tenant_session(app, north.bakery.id) as session:
        row = session.scalar(select(StripeConnectEvent))
        assert (row.status, row.stripe_event_id) == ("unmatched", "evt_x")


def _paid_south(client, stripe_fake, south):
    pay(client, south)
    meta = succeed(stripe_fake, stripe_fake.of("POST", "/v1/checkout/sessions")[0])
    completed_session(stripe_fake, "cs_test1", "pi_1", meta)
    body = event("evt_cs", "checkout.session.completed", {"id": "cs_test1"}, account="acct_south")
    assert post_event(client, "connect", body).status_code == 200


@freeze_time(FROZEN)
def test_refunds_show_on_the_invoices_and_reopen_them_once(app, client, stripe_fake, payers):
    _, south = payers
    _paid_south(client, stripe_fake, south)
    charge = {"id": "ch_1", "object": "charge", "payment_intent": "pi_1", "amount_refunded": 3_450}
    stripe_fake.put(charge)
    refunded = event("evt_r1", "charge.refunded", {"id": "ch_1"}, account="acct_south")
    assert post_event(client, "connect", refunded).status_code == 200
    # A second delivery of the same state (new event id) takes nothing more off.
    again = event("evt_r2", "charge.refunded", {"id": "ch_1"}, account="acct_south")
    assert post_event(client, "connect", again).status_code == 200

    first, second = south.invoices
    assert invoice_state(app, south) == {first: (12_000, 0), second: (0, 3_450)}
    assert stripe_payments(app, south) == [("pi_1", 12_000, False)]
    page = client.get(f"{south.base}/invoices/{second}").get_data(as_text=True)
    assert "Refunded" in page and "Pay " in page

    # Then the rest: the payment is void (kept), both invoices are owed again.
    stripe_fake.put({**charge, "amount_refunded": 15_450})
    full = event("evt_r3", "charge.refunded", {"id": "ch_1"}, account="acct_south")
    assert post_event(client, "connect", full).status_code == 200
    assert invoice_state(app, south) == {first: (0, 12_000), second: (0, 3_450)}
    # The partial refund had brought the payment down to 12,000; the rest voids it.
    assert stripe_payments(app, south) == [("pi_1", 12_000, True)]


@freeze_time(FROZEN)
def test_a_dispute_shows_and_only_a_lost_one_takes_the_money_back_once(
    app, client, stripe_fake, payers
):
    _, south = payers
    _paid_south(client, stripe_fake, south)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "charge": "ch_1",
        "payment_intent": "pi_1",
        "amount": 15_450,
        "status": "needs_response",
    }
    stripe_fake.put(dispute)
    opened = event("evt_d1", "charge.dispute.created", {"id": "dp_1"}, account="acct_south")
    assert post_event(client, "connect", opened).status_code == 200
    assert all(balance == 0 for _, balance in invoice_state(app, south).values())
    page = client.get(f"{south.base}/invoices/{south.invoices[0]}").get_data(as_text=True)
    assert "Card payment disputed" in page

    stripe_fake.put({**dispute, "status": "lost"})
    for n in (2, 3):  # closed, then delivered again
        closed = event(f"evt_d{n}", "charge.dispute.closed", {"id": "dp_1"}, account="acct_south")
        assert post_event(client, "connect", closed).status_code == 200
    assert invoice_state(app, south) == {
        south.invoices[0]: (0, 12_000),
        south.invoices[1]: (0, 3_450),
    }
    assert stripe_payments(app, south) == [("pi_1", 15_450, True)]
    assert "disputed: lost" in client.get(f"{south.base}/invoices").get_data(as_text=True)


@freeze_time(FROZEN)
def test_another_customers_or_bakerys_invoice_cannot_be_paid(app, client, stripe_fake, payers):
    north, south = payers
    sign_in_buyer(client, south.bakery, "payer@example.com")
    for foreign in (south.other_invoice, north.invoices[0]):
        assert client.get(f"{south.base}/invoices/pay?invoice={foreign}").status_code == 404
        mixed = {"invoice": [str(south.invoices[0]), str(foreign)]}
        assert client.post(f"{south.base}/invoices/pay", data=mixed).status_code == 404
    assert stripe_fake.of("POST", "/v1/checkout/sessions") == []


def test_without_stripe_invoices_show_bank_details_and_no_pay_button(app, client, two_bakeries):
    from tests.support.invoices import set_mode

    bakery = two_bakeries[0]
    set_mode(app, bakery, "per_delivered_order", bank_details="IBAN DE12 3456")
    payer = make_payer(app, bakery)
    sign_in_buyer(client, bakery, "payer@example.com")
    page = client.get(f"{payer.base}/invoices").get_data(as_text=True)
    assert "IBAN DE12 3456" in page and 'name="invoice"' not in page
    detail = client.get(f"{payer.base}/invoices/{payer.invoices[0]}").get_data(as_text=True)
    assert "IBAN DE12 3456" in detail and "pay-online" not in detail
    assert client.get(f"{payer.base}/invoices/pay?invoice={payer.invoices[0]}").status_code == 404
    assert client.get(f"{payer.base}/account/autopay").status_code == 404


@freeze_time(FROZEN)
def test_a_tier_without_online_payments_or_a_contact_without_the_right_shows_no_pay_button(
    app, client, stripe_fake, customers
):
    from billing.online_payments import can_pay_online
    from tenants.models import Plan, Tenant
    from tests.support.factories import platform_session

    _, south = customers
    payer = make_payer(app, south)
    add_contact(
        app, south, payer.customer_id, email="viewer@example.com", grants=("view_invoices",)
    )
    sign_in_buyer(client, south, "viewer@example.com")
    assert 'name="invoice"' not in client.get(f"{payer.base}/invoices").get_data(as_text=True)
    assert client.get(f"{payer.base}/invoices/pay?invoice={payer.invoices[0]}").status_code == 403

    with platform_session(app) as session:
        tenant = session.get(Tenant, south.id)
        assert can_pay_online(tenant)
        # Starter has no online_payments (nor a portal): the same bakery could not take them.
        tenant.plan_id = session.scalar(select(Plan.id).where(Plan.code == "starter"))
        session.flush()
        session.refresh(tenant)
        assert not can_pay_online(tenant)


@freeze_time(FROZEN)
def test_a_location_level_contact_pays_only_their_locations_invoices(
    app, client, stripe_fake, payers
):
    _, south = payers
    customer = make_customer(app, south.bakery, "Harbour Group", payment_terms="net_14")
    main, harbour = customer["locations"]["Main Street"], customer["locations"]["Harbour"]
    add_contact(
        app,
        south.bakery,
        customer["id"],
        email="harbour@example.com",
        access_level="location",
        location_id=harbour,
        grants=("view_invoices", "pay_invoices"),
    )
    theirs = add_invoice(app, south.bakery, customer["id"], total=500, location_id=harbour)
    other = add_invoice(app, south.bakery, customer["id"], total=700, location_id=main)
    sign_in_buyer(client, south.bakery, "harbour@example.com")
    page = client.get(f"{south.base}/invoices").get_data(as_text=True)
    assert str(theirs) in page and str(other) not in page
    assert client.get(f"{south.base}/invoices/pay?invoice={other}").status_code == 404
    response = client.post(f"{south.base}/invoices/pay", data={"invoice": [str(theirs)]})
    assert response.status_code == 303
    (call,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert call.params["metadata[invoice_ids]"] == str(theirs)


@freeze_time(FROZEN)
def test_a_delayed_method_shows_under_way_then_fails_or_succeeds(app, client, stripe_fake, payers):
    _, south = payers
    pay(client, south)
    meta = succeed(stripe_fake, stripe_fake.of("POST", "/v1/checkout/sessions")[0])
    intent = stripe_fake.objects["/v1/payment_intents/pi_1"]
    intent.update(status="processing", amount_received=0)
    session = completed_session(stripe_fake, "cs_test1", "pi_1", meta)
    session["payment_status"] = "unpaid"
    body = event("evt_cs", "checkout.session.completed", {"id": "cs_test1"}, account="acct_south")
    assert post_event(client, "connect", body).status_code == 200
    first = south.invoices[0]
    page = client.get(f"{south.base}/invoices/{first}").get_data(as_text=True)
    assert "Payment under way" in page
    assert stripe_payments(app, south) == []

    intent.update(
        status="requires_payment_method",
        last_payment_error={"message": "The debit was returned."},
    )
    failed = event(
        "evt_af", "checkout.session.async_payment_failed", {"id": "cs_test1"}, account="acct_south"
    )
    assert post_event(client, "connect", failed).status_code == 200
    page = client.get(f"{south.base}/invoices/{first}").get_data(as_text=True)
    assert "Card payment failed" in page and "The debit was returned." in page
    assert stripe_payments(app, south) == []

    # Stripe's current state wins whatever the order the events come in: it succeeded after all.
    intent.update(status="succeeded", amount_received=15_450, last_payment_error=None)
    won = event(
        "evt_as",
        "checkout.session.async_payment_succeeded",
        {"id": "cs_test1"},
        account="acct_south",
    )
    assert post_event(client, "connect", won).status_code == 200
    assert stripe_payments(app, south) == [("pi_1", 15_450, False)]
    assert "Card payment failed" not in client.get(f"{south.base}/invoices/{first}").get_data(
        as_text=True
    )
