"""The one adapter to Stripe: the only module that imports `stripe`.

Everything else asks this module for what it needs (a Checkout URL, a subscription's current
state, a verified webhook event) and gets plain dicts back, so no other module depends on the
library's objects. Without `STRIPE_SECRET_KEY` the gateway is off: `is_on()` says so, callers
show no Stripe UI, and any call raises `StripeOff` instead of reaching the network.

Every call that creates something passes an idempotency key derived from what it is for (the
bakery, the price, the account), so a double click or a retried request creates it once.
Tests put a `stripe.HTTPClient` subclass in `app.extensions["stripe_http_client"]`; the real
library then runs end to end against it (method, path, form body, headers), never the network.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import stripe
from flask import current_app

from config.errors import DomainError

log = logging.getLogger(__name__)

# Stripe retries a request that failed on the network or with 409/5xx; StripeClient makes none
# unless asked. Creations are safe to retry because each carries an idempotency key.
MAX_NETWORK_RETRIES = 2
HTTP_CLIENT_KEY = "stripe_http_client"
# Checkout refuses a trial_end less than two days away; a trial that short is charged now.
MIN_CHECKOUT_TRIAL = timedelta(days=2)


class StripeOff(DomainError):
    """Stripe was asked for something while no keys are configured."""

    code = "stripe_off"
    status_code = 404


class StripeUnavailable(DomainError):
    """Stripe answered with an error or could not be reached."""

    code = "stripe_unavailable"
    status_code = 502


class BadSignature(DomainError):
    """A webhook whose signature, body or timestamp does not verify."""

    code = "bad_signature"
    status_code = 400


def _settings():
    return current_app.config["SETTINGS"]


def is_on() -> bool:
    """Whether Stripe is configured (the embedded default has no keys: off)."""
    return bool(_settings().stripe_secret_key)


def client() -> stripe.StripeClient:
    """A StripeClient from the settings, with network retries and the app's HTTP client (the
    seam tests fill)."""
    key = _settings().stripe_secret_key
    if not key:
        raise StripeOff("Stripe is not configured on this platform.")
    return stripe.StripeClient(
        key,
        max_network_retries=MAX_NETWORK_RETRIES,
        http_client=current_app.extensions.get(HTTP_CLIENT_KEY),
    )


def _plain(obj) -> dict:
    """A Stripe object as plain JSON data (nested objects and lists included)."""
    return json.loads(json.dumps(obj.to_dict() if hasattr(obj, "to_dict") else obj))


def _call(fn, *args, **kwargs) -> dict:
    try:
        return _plain(fn(*args, **kwargs))
    except stripe.StripeError as exc:
        log.warning("Stripe call failed: %s", exc)
        raise StripeUnavailable(
            "Stripe did not accept the request; nothing was changed. Try again in a minute."
        ) from exc


def hour_bucket(now: datetime) -> str:
    """Part of an idempotency key: repeats within the hour get the same answer back."""
    return now.astimezone(UTC).strftime("%Y%m%d%H")


# --- Stripe Billing on the platform account (the bakeries' own subscriptions) ---


def create_customer(*, tenant_id, name: str, email: str) -> dict:
    """The bakery as a customer of the platform; one per bakery whatever the retries."""
    return _call(
        client().v1.customers.create,
        params={"name": name, "email": email, "metadata": {"tenant_id": str(tenant_id)}},
        options={"idempotency_key": f"bakery-customer-{tenant_id}"},
    )


def create_subscription_checkout(
    *,
    tenant_id,
    customer_id: str,
    price_id: str,
    success_url: str,
    cancel_url: str,
    trial_end: datetime | None,
    now: datetime,
) -> dict:
    """A Checkout Session in subscription mode for `price_id`; keyed by bakery, price and hour."""
    subscription_data: dict = {"metadata": {"tenant_id": str(tenant_id)}}
    if trial_end is not None and trial_end > now + MIN_CHECKOUT_TRIAL:
        # The platform's own trial carries over: the first charge comes when it ends.
        subscription_data["trial_end"] = int(trial_end.timestamp())
    return _call(
        client().v1.checkout.sessions.create,
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(tenant_id),
            "line_items": [{"price": price_id, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": {"tenant_id": str(tenant_id)},
            "subscription_data": subscription_data,
        },
        options={
            "idempotency_key": f"plan-checkout-{tenant_id}-{price_id}-{hour_bucket(now)}",
        },
    )


def create_portal_session(
    *,
    tenant_id,
    customer_id: str,
    return_url: str,
    now: datetime,
    subscription_id: str | None = None,
    item_id: str | None = None,
    price_id: str | None = None,
) -> dict:
    """A customer portal session; with a subscription item and a price, it opens straight on
    Stripe's confirm page for switching that subscription to the price (upgrade/downgrade)."""
    params: dict = {"customer": customer_id, "return_url": return_url}
    purpose = "manage"
    if subscription_id and item_id and price_id:
        purpose = f"switch-{price_id}"
        params["flow_data"] = {
            "type": "subscription_update_confirm",
            "after_completion": {"type": "redirect", "redirect": {"return_url": return_url}},
            "subscription_update_confirm": {
                "subscription": subscription_id,
                "items": [{"id": item_id, "price": price_id, "quantity": 1}],
            },
        }
    # Portal links are short-lived: a key per minute gives a double click the same session.
    minute = now.astimezone(UTC).strftime("%Y%m%d%H%M")
    return _call(
        client().v1.billing_portal.sessions.create,
        params=params,
        options={"idempotency_key": f"portal-{tenant_id}-{purpose}-{minute}"},
    )


def retrieve_subscription(subscription_id: str) -> dict:
    return _call(client().v1.subscriptions.retrieve, subscription_id)


def list_subscriptions(customer_id: str) -> list[dict]:
    """The customer's subscriptions in every status, newest first."""
    page = _call(
        client().v1.subscriptions.list,
        params={"customer": customer_id, "status": "all", "limit": 10},
    )
    return sorted(page.get("data", []), key=lambda s: s.get("created") or 0, reverse=True)


def retrieve_invoice(invoice_id: str) -> dict:
    return _call(client().v1.invoices.retrieve, invoice_id)


def retrieve_checkout_session(session_id: str, *, account: str | None = None) -> dict:
    """A Checkout Session on the platform, or on connected `account` (Stripe-Account header)."""
    options = {"stripe_account": account} if account else None
    return _call(client().v1.checkout.sessions.retrieve, session_id, options=options)


# --- Stripe Connect: the bakeries' own accounts, which buyers pay ---


def create_connected_account(*, tenant_id, email: str, name: str, generation: str) -> dict:
    """A Standard connected account for the bakery (its own dashboard, its own payouts).
    `generation` tells a reconnection after a disconnect from the first connection."""
    return _call(
        client().v1.accounts.create,
        params={
            "type": "standard",
            "email": email,
            "business_profile": {"name": name},
            "metadata": {"tenant_id": str(tenant_id)},
        },
        options={"idempotency_key": f"connect-account-{tenant_id}-{generation}"},
    )


def create_account_link(
    *, account_id: str, refresh_url: str, return_url: str, now: datetime
) -> dict:
    """A one-time onboarding link (Account Links expire within minutes: key per minute)."""
    minute = now.astimezone(UTC).strftime("%Y%m%d%H%M")
    return _call(
        client().v1.account_links.create,
        params={
            "account": account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        },
        options={"idempotency_key": f"account-link-{account_id}-{minute}"},
    )


def retrieve_account(account_id: str) -> dict:
    return _call(client().v1.accounts.retrieve, account_id)


def create_connect_checkout(*, account: str, params: dict, idempotency_key: str) -> dict:
    """A Checkout Session created on connected `account` (a direct charge): the seam the
    invoice-payment work builds on. The caller derives the key from the invoices and attempt."""
    return _call(
        client().v1.checkout.sessions.create,
        params=params,
        options={"stripe_account": account, "idempotency_key": idempotency_key},
    )


def _on(account: str) -> dict:
    return {"stripe_account": account}


def expire_connect_checkout(session_id: str, *, account: str) -> dict:
    """Close an open Checkout Session on connected `account` so it can no longer be paid.
    Stripe refuses for a session already complete: StripeUnavailable, and the caller reads the
    session to see why."""
    return _call(client().v1.checkout.sessions.expire, session_id, options=_on(account))


def retrieve_payment_intent(payment_intent_id: str, *, account: str) -> dict:
    """A PaymentIntent on connected `account` (its status, metadata and latest charge)."""
    return _call(client().v1.payment_intents.retrieve, payment_intent_id, options=_on(account))


def retrieve_charge(charge_id: str, *, account: str) -> dict:
    """A charge on connected `account` (what was refunded of it so far)."""
    return _call(client().v1.charges.retrieve, charge_id, options=_on(account))


def retrieve_dispute(dispute_id: str, *, account: str) -> dict:
    """A dispute on connected `account` (its status and amount)."""
    return _call(client().v1.disputes.retrieve, dispute_id, options=_on(account))


def retrieve_setup_intent(setup_intent_id: str, *, account: str) -> dict:
    """A SetupIntent with its payment method expanded (the card's brand and last four)."""
    return _call(
        client().v1.setup_intents.retrieve,
        setup_intent_id,
        params={"expand": ["payment_method"]},
        options=_on(account),
    )


def create_connect_customer(*, account: str, params: dict, idempotency_key: str) -> dict:
    """A customer on connected `account` (holds a buyer's saved card there)."""
    return _call(
        client().v1.customers.create,
        params=params,
        options={**_on(account), "idempotency_key": idempotency_key},
    )


def create_off_session_payment(*, account: str, params: dict, idempotency_key: str) -> dict:
    """Charge a saved card on connected `account` without the buyer present (autopay). A
    decline answers with the PaymentIntent in the error: returned, not raised, so the caller
    can record the failure."""
    try:
        return _plain(
            client().v1.payment_intents.create(
                params=params, options={**_on(account), "idempotency_key": idempotency_key}
            )
        )
    except stripe.CardError as exc:
        intent = getattr(exc.error, "payment_intent", None) if exc.error else None
        data = _plain(intent) if intent is not None else {}
        return {
            **data,
            "status": data.get("status") or "requires_payment_method",
            "last_payment_error": {"message": exc.user_message or str(exc)},
        }


def detach_payment_method(payment_method_id: str, *, account: str) -> dict:
    """Forget a saved card on connected `account` (it can no longer be charged)."""
    return _call(client().v1.payment_methods.detach, payment_method_id, options=_on(account))


# --- Webhooks ---


def verify_event(payload: bytes, signature: str | None, secret: str) -> dict:
    """The event in `payload` if `signature` verifies it against `secret` (within Stripe's
    five-minute tolerance); BadSignature otherwise. Checked on the raw bytes as received."""
    if not secret:
        raise StripeOff("This webhook endpoint has no signing secret configured.")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text, signature or "", secret, stripe.Webhook.DEFAULT_TOLERANCE
        )
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BadSignature("The webhook signature does not verify.") from exc
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise BadSignature("The webhook body is not a Stripe event.")
    return event


def sign_payload(payload: str, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header for `payload` (tests and the demo sign with it)."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)
