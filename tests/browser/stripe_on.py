"""Stripe on (the stand-in) for browser tests against the demo server: Rosemary & Rye's
connected account active while a test runs, and webhooks posted signed as Stripe signs them."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
from sqlalchemy import select

from tests.support.stripe_fake import CONNECT_SECRET, FakeStripe

SLUG = "rosemary-rye"


@pytest.fixture
def payments_on(live_server):
    """Stripe on (stand-in) and Rosemary & Rye's connected account active; undone after, with
    the test's card payments voided so the other browser tests find Aurora's invoices open (the
    demo's own card payments stay as they were)."""
    from billing.payments import void_payment
    from billing.receivables_models import Payment
    from config.extensions import db
    from tenants.models import Tenant
    from tenants.scoping import bind_tenant

    _, app = live_server
    settings = app.config["SETTINGS"]
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        before = (tenant.stripe_account_id, tenant.stripe_account_status)
        tenant.stripe_account_id, tenant.stripe_account_status = "acct_demo_pay", "active"
        db.session.commit()
        bind_tenant(db.session, tenant.id)
        demo_payments = set(
            db.session.scalars(select(Payment.id).where(Payment.method == "stripe"))
        )
    app.config["SETTINGS"] = dataclasses.replace(
        settings,
        stripe_secret_key="sk_test_stand_in",
        stripe_connect_webhook_secret=CONNECT_SECRET,
    )
    fake = FakeStripe()
    fake.tag = uuid.uuid4().hex[:8]  # the demo database outlives this test: fresh Stripe ids
    app.extensions["stripe_http_client"] = fake
    try:
        yield fake
    finally:
        app.config["SETTINGS"] = settings
        app.extensions.pop("stripe_http_client", None)
        with app.app_context():
            tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
            tenant.stripe_account_id, tenant.stripe_account_status = before
            db.session.commit()
            bind_tenant(db.session, tenant.id)
            for payment in db.session.scalars(
                select(Payment).where(
                    Payment.method == "stripe",
                    Payment.voided_at.is_(None),
                    Payment.id.not_in(demo_payments),
                )
            ):
                void_payment(db.session, tenant, actor=None, payment=payment, reason="test")
            db.session.commit()


def post_signed(page, base_url, body: dict) -> int:
    """POST `body` to the Connect endpoint signed as Stripe signs it (from the test, not the
    buyer's browser: Stripe's servers send it)."""
    import stripe

    payload = json.dumps(body)
    response = page.context.request.post(
        f"{base_url}/webhooks/stripe/connect",
        data=payload,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": stripe.WebhookSignature.generate_signature_header(
                payload, CONNECT_SECRET
            ),
        },
    )
    return response.status


def checkout_session_ids(fake) -> list[str]:
    """The ids of the Checkout Sessions the stand-in created, oldest first."""
    prefix = "/v1/checkout/sessions/"
    return [path[len(prefix) :] for path in fake.objects if path.startswith(prefix)]
