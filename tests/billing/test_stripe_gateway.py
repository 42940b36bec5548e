"""The adapter: Stripe off without keys, and every call's method, path, parameters, headers and
idempotency key as the real `stripe` library sends them to the stand-in."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.billing.conftest import set_stripe
from tests.support.stripe_fake import subscription_object

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def test_without_keys_stripe_is_off_and_no_call_is_made(app):
    from billing import stripe_gateway as gateway
    from billing.connect import payments_enabled
    from tenants.models import Tenant

    with app.app_context():
        assert gateway.is_on() is False
        with pytest.raises(gateway.StripeOff):
            gateway.retrieve_subscription("sub_1")
        assert (
            payments_enabled(Tenant(stripe_account_id="acct_1", stripe_account_status="active"))
            is False
        )


def test_only_the_gateway_imports_stripe():
    root = Path(__file__).resolve().parents[2]
    importers = []
    for package in ("config", "tenants", "billing", "portal", "admin", "jobs"):
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                if any(n == "stripe" or n.startswith("stripe.") for n in names):
                    importers.append(str(path.relative_to(root)))
    assert importers == ["billing/stripe_gateway.py"]


def test_client_retries_on_the_network_and_keeps_the_idempotency_key(app, stripe_fake):
    from billing import stripe_gateway as gateway

    stripe_fake.failures = [500]
    with app.app_context():
        customer = gateway.create_customer(tenant_id="t-1", name="North", email="n@example.com")
    assert customer["id"].startswith("cus_")
    first, retry = stripe_fake.of("POST", "/v1/customers")
    assert (
        first.header("Idempotency-Key") == retry.header("Idempotency-Key") == "bakery-customer-t-1"
    )
    assert retry.params == {"name": "North", "email": "n@example.com", "metadata[tenant_id]": "t-1"}


def test_first_subscription_goes_through_checkout_in_subscription_mode(app, stripe_fake, customers):
    from billing import plan_billing
    from tenants.models import Plan, Tenant
    from tenants.scoping import bind_tenant
    from tenants.staff.models import StaffUser

    north, south = customers
    set_stripe(
        app, north, stripe_customer_id=None, trial_ends_at=datetime(2026, 12, 20, tzinfo=UTC)
    )
    with app.app_context():
        from config.extensions import db

        tenant = db.session.get(Tenant, north.id)
        bind_tenant(db.session, tenant.id)
        owner = db.session.get(StaffUser, (north.id, north.owner_id))
        plan = db.session.query(Plan).filter_by(code="professional").one()
        url = plan_billing.start_plan_change(
            db.session,
            tenant,
            actor=owner,
            plan=plan,
            success_url="https://bakery.test/ok",
            cancel_url="https://bakery.test/back",
            now=NOW,
        )
        assert tenant.stripe_customer_id.startswith("cus_")
    (customer_call,) = stripe_fake.of("POST", "/v1/customers")
    assert customer_call.header("Idempotency-Key") == f"bakery-customer-{north.id}"
    assert customer_call.header("Stripe-Account") is None  # the platform's own account
    (checkout,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test")
    assert checkout.params["mode"] == "subscription"
    assert checkout.params["line_items[0][price]"] == "price_pro"
    assert checkout.params["customer"] == tenant.stripe_customer_id
    assert checkout.params["client_reference_id"] == str(north.id)
    assert checkout.params["subscription_data[trial_end]"] == str(
        int(datetime(2026, 12, 20, tzinfo=UTC).timestamp())
    )
    assert checkout.header("Idempotency-Key") == f"plan-checkout-{north.id}-price_pro-2026120709"
    assert checkout.header("Stripe-Account") is None


def test_a_trial_ending_within_two_days_is_not_carried_into_checkout(app, stripe_fake):
    from billing import stripe_gateway as gateway

    with app.app_context():
        for trial_end in (NOW + timedelta(days=1), NOW + timedelta(days=3)):
            gateway.create_subscription_checkout(
                tenant_id="t-1",
                customer_id="cus_1",
                price_id="price_pro",
                success_url="https://bakery.test/ok",
                cancel_url="https://bakery.test/back",
                trial_end=trial_end,
                now=NOW,
            )
    short, long = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert "subscription_data[trial_end]" not in short.params
    assert long.params["subscription_data[trial_end]"] == str(
        int((NOW + timedelta(days=3)).timestamp())
    )


def test_switching_a_live_subscription_opens_the_portal_confirm_page(app, stripe_fake, customers):
    from billing import plan_billing
    from config.extensions import db
    from tenants.models import Plan, Tenant
    from tenants.scoping import bind_tenant
    from tenants.staff.models import StaffUser

    north, _ = customers
    set_stripe(app, north, stripe_subscription_id="sub_n", stripe_subscription_status="active")
    stripe_fake.put(subscription_object("sub_n", "cus_north", "active", "price_pro"))
    with app.app_context():
        tenant = db.session.get(Tenant, north.id)
        bind_tenant(db.session, tenant.id)
        owner = db.session.get(StaffUser, (north.id, north.owner_id))
        plan = db.session.query(Plan).filter_by(code="enterprise").one()
        url = plan_billing.start_plan_change(
            db.session,
            tenant,
            actor=owner,
            plan=plan,
            success_url="https://bakery.test/ok",
            cancel_url="https://bakery.test/back",
            now=NOW,
        )
    assert url.startswith("https://billing.stripe.com/p/session/")
    assert stripe_fake.of("POST", "/v1/checkout/sessions") == []  # no second subscription
    (portal,) = stripe_fake.of("POST", "/v1/billing_portal/sessions")
    assert portal.params["flow_data[type]"] == "subscription_update_confirm"
    assert portal.params["flow_data[subscription_update_confirm][subscription]"] == "sub_n"
    assert portal.params["flow_data[subscription_update_confirm][items][0][id]"] == "si_sub_n"
    assert portal.params["flow_data[subscription_update_confirm][items][0][price]"] == "price_ent"
    assert portal.header("Idempotency-Key") == f"portal-{north.id}-switch-price_ent-202612070930"


def test_connect_calls_name_the_connected_account(app, stripe_fake):
    from billing import stripe_gateway as gateway

    with app.app_context():
        gateway.create_connect_checkout(
            account="acct_north",
            params={"mode": "payment", "metadata": {"tenant_id": "t-1"}},
            idempotency_key="invoices-abc-1",
        )
        stripe_fake.put({"id": "cs_9", "object": "checkout.session"})
        gateway.retrieve_checkout_session("cs_9", account="acct_north")
    (read,) = stripe_fake.of("GET", "/v1/checkout/sessions/cs_9")
    assert read.header("Stripe-Account") == "acct_north"
    (call,) = stripe_fake.of("POST", "/v1/checkout/sessions")
    assert call.header("Stripe-Account") == "acct_north"
    assert call.header("Idempotency-Key") == "invoices-abc-1"
    assert call.params == {"mode": "payment", "metadata[tenant_id]": "t-1"}


def test_onboarding_creates_one_account_and_a_link(app, stripe_fake, customers):
    from billing import connect
    from config.extensions import db
    from tenants.models import Tenant
    from tenants.scoping import bind_tenant
    from tenants.staff.models import StaffUser

    north, _ = customers
    set_stripe(app, north, stripe_account_id=None, stripe_account_status="")
    with app.app_context():
        tenant = db.session.get(Tenant, north.id)
        bind_tenant(db.session, tenant.id)
        owner = db.session.get(StaffUser, (north.id, north.owner_id))
        url = connect.start_onboarding(
            db.session,
            tenant,
            actor=owner,
            refresh_url="https://bakery.test/r",
            return_url="https://bakery.test/b",
            now=NOW,
        )
        account_id = tenant.stripe_account_id
    (create,) = stripe_fake.of("POST", "/v1/accounts")
    assert create.params["type"] == "standard"
    assert create.params["metadata[tenant_id]"] == str(north.id)
    assert create.header("Idempotency-Key") == f"connect-account-{north.id}-first"
    (link,) = stripe_fake.of("POST", "/v1/account_links")
    assert link.params == {
        "account": account_id,
        "refresh_url": "https://bakery.test/r",
        "return_url": "https://bakery.test/b",
        "type": "account_onboarding",
    }
    assert link.header("Idempotency-Key") == f"account-link-{account_id}-202612070930"
    assert url == f"https://connect.stripe.com/setup/s/{account_id}"
