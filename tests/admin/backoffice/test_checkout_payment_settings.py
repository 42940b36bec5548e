"""The back office's card-now settings: the owner chooses what checkout offers on the Online
payments page, a customer's billing page overrides it, and the home page counts orders awaiting
their card payment. Two bakeries: one's choice never reaches the other."""

from __future__ import annotations

import re
from datetime import time

from freezegun import freeze_time
from sqlalchemy import select

from tests.support.factories import add_staff, sign_in_staff, tenant_session
from tests.support.html import page_text
from tests.support.orders import make_cafe, set_days


def _choice(app, bakery) -> str:
    from billing.card_checkout import bakery_choice
    from tests.support.catalog import tenant_of

    with tenant_session(app, bakery.id) as session:
        return bakery_choice(session, tenant_of(session, bakery))


def test_the_owner_chooses_what_checkout_offers_and_bad_input_changes_nothing(app, two_bakeries):
    north, south = two_bakeries
    client = app.test_client()
    sign_in_staff(client, north)
    page = page_text(client.get(f"/admin/{north.slug}/online-payments"))
    assert "Payment at checkout" in page
    assert re.search(r'<input[^>]*checked[^>]*value="account"|value="account"[^>]*checked', page)
    assert "checkout offers on account until they are on" in page  # Stripe is off here

    saved = client.post(
        f"/admin/{north.slug}/online-payments/checkout", data={"checkout_payment": "both"}
    )
    assert saved.status_code == 303
    assert _choice(app, north) == "both" and _choice(app, south) == "account"

    refused = client.post(
        f"/admin/{north.slug}/online-payments/checkout", data={"checkout_payment": "cash"}
    )
    assert refused.status_code == 422
    assert "Choose what checkout offers." in page_text(refused)
    assert _choice(app, north) == "both"


def test_a_staff_member_without_settings_may_not_change_it(app, two_bakeries):
    north, _ = two_bakeries
    add_staff(app, north, email="sales@example.com", role="sales")
    client = app.test_client()
    sign_in_staff(client, north, "sales@example.com")
    response = client.post(
        f"/admin/{north.slug}/online-payments/checkout", data={"checkout_payment": "card"}
    )
    assert response.status_code == 403
    assert _choice(app, north) == "account"


def test_a_customers_billing_page_overrides_the_bakerys_choice(app, two_bakeries):
    from billing.models import CustomerBilling

    north, south = two_bakeries
    cafe = make_cafe(app, north)
    client = app.test_client()
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{cafe['id']}/invoicing"
    assert "How this customer pays at checkout" in page_text(client.get(url))
    saved = client.post(
        url, data={"invoicing_mode": "", "billing_address": "", "checkout_payment": "card"}
    )
    assert saved.status_code in (302, 303)
    with tenant_session(app, north.id) as session:
        row = session.scalar(select(CustomerBilling))
        assert row.checkout_payment == "card"
    bad = client.post(
        url, data={"invoicing_mode": "", "billing_address": "", "checkout_payment": "cash"}
    )
    assert bad.status_code in (400, 422)
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(CustomerBilling)).checkout_payment == "card"
    # Another bakery's customer id answers 404 here.
    other = make_cafe(app, south, email="south@example.com")
    assert client.get(f"/admin/{north.slug}/customers/{other['id']}/invoicing").status_code == 404


def test_the_home_page_counts_orders_awaiting_their_card_payment(app, two_bakeries):
    from config.clock import utcnow
    from tenants.customers.models import Customer
    from tenants.orders.placement import place_order
    from tests.support.catalog import tenant_of

    north, south = two_bakeries
    with freeze_time("2026-12-07 09:00"):
        for bakery in (north, south):
            set_days(app, bakery, {1: (1, time(14))})
        cafe = make_cafe(app, north)
        with tenant_session(app, north.id) as session:
            customer = session.scalar(select(Customer).where(Customer.id == cafe["id"]))
            from datetime import date

            order_id = place_order(
                session,
                tenant_of(session, north),
                customer=customer,
                actor=None,
                lines=[(cafe["bread"], 10)],
                location_id=cafe["locations"]["Main Street"],
                delivery_date=date(2026, 12, 8),
                now=utcnow(),
                pay_by_card=True,
            ).order.id
        client = app.test_client()
        sign_in_staff(client, north)
        home = " ".join(page_text(client.get(f"/admin/{north.slug}/")).split())
        assert "Awaiting card payment" in home
        other = app.test_client()
        sign_in_staff(other, south)
        assert "Awaiting card payment" not in page_text(other.get(f"/admin/{south.slug}/"))
        listed = page_text(client.get(f"/admin/{north.slug}/orders?status=awaiting_payment"))
        assert "Awaiting payment" in listed
        # Its page shows the state and offers no status move: only its payment ends it.
        detail = client.get(f"/admin/{north.slug}/orders/{order_id}")
        assert detail.status_code == 200 and "Awaiting payment" in page_text(detail)
        moved = client.post(
            f"/admin/{north.slug}/orders/{order_id}/status",
            data={"to": "confirmed", "version": "1"},
            follow_redirects=True,
        )
        assert "cannot become confirmed" in page_text(moved)
        assert "Awaiting payment" in page_text(client.get(f"/admin/{north.slug}/orders/{order_id}"))
