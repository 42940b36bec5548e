"""The back office's Plan and billing and Online payments pages, with Stripe off (the embedded
default) and on (the stand-in), and the operators' view of a bakery's Stripe state."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.billing.conftest import set_stripe, tenant_row
from tests.support.factories import (
    add_staff,
    make_bakery,
    make_operator,
    sign_in_operator,
    sign_in_staff,
)
from tests.support.html import page_text
from tests.support.stripe_fake import account_object


def _plan_id(app, code):
    from sqlalchemy import select

    from config.extensions import db
    from tenants.models import Plan

    with app.app_context():
        return str(db.session.scalar(select(Plan.id).where(Plan.code == code)))


def test_without_stripe_the_plan_page_requests_upgrades_and_shows_no_stripe(
    app, client, two_bakeries
):
    north, _ = two_bakeries
    set_stripe(
        app,
        north,
        subscription_status="trialing",
        trial_ends_at=datetime(2026, 12, 20, 9, tzinfo=UTC),
    )
    sign_in_staff(client, north)
    text = page_text(client.get(f"/admin/{north.slug}/plan"))
    assert "Plan and billing" in text and "Your plan: Professional" in text
    assert "Trial ends" in text and "20 Dec 2026" in text
    assert "Request upgrade to Enterprise" in text
    assert "Subscribe to" not in text and "Manage card" not in text and "on Stripe" not in text
    assert (
        client.post(
            f"/admin/{north.slug}/plan/checkout", data={"plan_id": _plan_id(app, "enterprise")}
        ).status_code
        == 404
    )
    payments = page_text(client.get(f"/admin/{north.slug}/online-payments"))
    assert "not set up on this platform" in payments and "Connect with Stripe" not in payments
    assert client.post(f"/admin/{north.slug}/online-payments/connect").status_code == 404


def test_with_stripe_a_priced_tier_is_bought_through_checkout(app, client, stripe_fake, customers):
    north, south = customers
    set_stripe(app, north, trial_ends_at=datetime(2026, 12, 20, 9, tzinfo=UTC))
    sign_in_staff(client, north)
    text = page_text(client.get(f"/admin/{north.slug}/plan"))
    assert "Subscribe to Enterprise" in text and "Subscribe to Professional" in text
    assert "Request upgrade" not in text
    assert "Manage card and invoices on Stripe" in text  # north is a customer already

    response = client.post(
        f"/admin/{north.slug}/plan/checkout", data={"plan_id": _plan_id(app, "enterprise")}
    )
    assert response.status_code == 303
    assert response.location.startswith("https://checkout.stripe.com/c/pay/")
    (checkout,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert checkout.params["customer"] == "cus_north"
    assert (
        checkout.params["success_url"]
        == f"https://bakery.test/admin/{north.slug}/plan?checkout=done"
    )
    assert checkout.params["cancel_url"] == f"https://bakery.test/admin/{north.slug}/plan"
    assert tenant_row(app, south)["stripe_subscription_id"] is None

    portal = client.post(f"/admin/{north.slug}/plan/portal")
    assert portal.status_code == 303 and portal.location.startswith("https://billing.stripe.com/")

    back = client.get(f"/admin/{north.slug}/plan?checkout=done", follow_redirects=True)
    assert "as soon as Stripe confirms the payment" in page_text(back)


def test_a_tier_without_a_price_is_still_requested(app, client, stripe_fake, customers):
    from config.extensions import db
    from tenants.models import Plan

    north, _ = customers
    with app.app_context():
        db.session.query(Plan).filter_by(code="enterprise").one().stripe_price_id = ""
        db.session.commit()
    sign_in_staff(client, north)
    text = page_text(client.get(f"/admin/{north.slug}/plan"))
    assert "Request upgrade to Enterprise" in text and "Subscribe to Enterprise" not in text
    response = client.post(
        f"/admin/{north.slug}/plan/checkout",
        data={"plan_id": _plan_id(app, "enterprise")},
        follow_redirects=True,
    )
    assert "can't be bought online" in page_text(response)
    assert stripe_fake.of("POST", "/v1/checkout/sessions") == []


def test_staff_without_settings_cannot_buy_or_connect(app, client, stripe_fake, customers):
    north, _ = customers
    add_staff(app, north, email="sales@example.com", role="sales")
    sign_in_staff(client, north, "sales@example.com")
    text = page_text(client.get(f"/admin/{north.slug}/plan"))
    assert "Subscribe" not in text and "Ask your bakery's owner" in text
    assert (
        client.post(
            f"/admin/{north.slug}/plan/checkout", data={"plan_id": _plan_id(app, "enterprise")}
        ).status_code
        == 403
    )
    assert client.post(f"/admin/{north.slug}/online-payments/connect").status_code == 403
    assert stripe_fake.calls == []


def test_connect_onboarding_status_and_disconnect(app, client, stripe_fake, customers):
    north, south = customers
    set_stripe(app, north, stripe_account_id=None, stripe_account_status="")
    sign_in_staff(client, north)
    assert "Not connected" in page_text(client.get(f"/admin/{north.slug}/online-payments"))

    started = client.post(f"/admin/{north.slug}/online-payments/connect")
    assert started.status_code == 303
    account_id = tenant_row(app, north)["stripe_account_id"]
    assert started.location == f"https://connect.stripe.com/setup/s/{account_id}"
    (link,) = stripe_fake.of("POST", "/v1/account_links")
    assert (
        link.params["return_url"]
        == f"https://bakery.test/admin/{north.slug}/online-payments/return"
    )
    assert (
        link.params["refresh_url"]
        == f"https://bakery.test/admin/{north.slug}/online-payments/refresh"
    )

    # Back from Stripe with details in but Stripe asking for more: restricted, and what it wants.
    stripe_fake.put(account_object(account_id, due=["external_account", "individual.id_number"]))
    page = page_text(
        client.get(f"/admin/{north.slug}/online-payments/return", follow_redirects=True)
    )
    assert "Restricted" in page and "external account" in page and "individual: id number" in page

    stripe_fake.put(account_object(account_id, charges=True, payouts=True))
    page = page_text(
        client.get(f"/admin/{north.slug}/online-payments/return", follow_redirects=True)
    )
    assert "Active" in page and "Buyers can pay invoices online" in page
    with app.app_context():
        from billing.connect import payments_enabled
        from config.extensions import db
        from tenants.models import Tenant

        assert payments_enabled(db.session.get(Tenant, north.id)) is True

    confirm = client.post(f"/admin/{north.slug}/online-payments/disconnect")
    assert confirm.status_code == 200 and "Disconnect Stripe" in page_text(confirm)
    assert tenant_row(app, north)["stripe_account_id"] == account_id
    done = client.post(
        f"/admin/{north.slug}/online-payments/disconnect",
        data={"confirmed": "yes"},
        follow_redirects=True,
    )
    assert "buyers no longer see pay buttons" in page_text(done)
    row = tenant_row(app, north)
    assert (row["stripe_account_id"], row["stripe_account_status"]) == (None, "")
    with app.app_context():
        assert payments_enabled(db.session.get(Tenant, north.id)) is False
        assert payments_enabled(db.session.get(Tenant, south.id)) is True
    # Connecting again makes a new account under a new idempotency key.
    client.post(f"/admin/{north.slug}/online-payments/connect")
    first, second = stripe_fake.of("POST", "/v1/accounts")
    assert first.header("Idempotency-Key") != second.header("Idempotency-Key")


def test_online_payments_need_the_tier(app, client, stripe_fake, priced_plans):
    small = make_bakery(app, "small-bakery", plan="starter")
    sign_in_staff(client, small)
    assert "payments come with the Professional plan" in page_text(
        client.get(f"/admin/{small.slug}/online-payments")
    )
    refused = client.post(f"/admin/{small.slug}/online-payments/connect", follow_redirects=True)
    assert "not included in your plan" in page_text(refused)
    assert stripe_fake.calls == []


def test_operators_see_stripe_state_and_set_price_ids(app, client, customers):
    north, _ = customers
    set_stripe(app, north, stripe_subscription_id="sub_n", stripe_subscription_status="past_due")
    make_operator(app)
    sign_in_operator(client)
    text = page_text(client.get(f"/platform/bakeries/{north.id}"))
    assert "cus_north" in text and "sub_n (past_due)" in text and "acct_north (onboarding)" in text
    listing = page_text(client.get("/platform/"))
    assert "Stripe: past_due" in listing and "Stripe customer, no subscription" in listing

    form = {
        "name": "Starter",
        "code": "starter",
        "monthly_price": "49",
        "features": [],
        "max_customers": "25",
        "max_staff_users": "3",
        "max_products": "100",
    }
    bad = client.post(
        f"/platform/tiers/{_plan_id(app, 'starter')}", data={**form, "stripe_price_id": "prod_123"}
    )
    assert bad.status_code == 422 and "starts with price_" in page_text(bad)
    taken = client.post(
        f"/platform/tiers/{_plan_id(app, 'starter')}", data={**form, "stripe_price_id": "price_pro"}
    )
    assert taken.status_code == 422 and "Another tier has this Stripe price" in page_text(taken)
    ok = client.post(
        f"/platform/tiers/{_plan_id(app, 'starter')}",
        data={**form, "stripe_price_id": "price_new_starter"},
    )
    assert ok.status_code == 302
    from config.extensions import db
    from tenants.models import Plan

    with app.app_context():
        assert (
            db.session.query(Plan).filter_by(code="starter").one().stripe_price_id
            == "price_new_starter"
        )
