"""Connect webhook handlers for buyers' invoice payments (registered in `connect_events`).

Every handler re-reads the object from Stripe on the bakery's account and applies its current
state, so a repeated or late event changes nothing twice:

- checkout.session.completed / async_payment_succeeded / async_payment_failed: read the
  session; a setup-mode session saves the buyer's card (autopay), a payment-mode one hands its
  PaymentIntent to `sync_payment_intent`; an unpaid, expired session marks its attempt expired.
- payment_intent.succeeded / payment_failed: `sync_payment_intent`. A succeeded intent records
  ONE payment through the receivables service (unique on the PaymentIntent id), allocated to
  the invoices the attempt names; processing and failed intents show on the invoices.
- charge.refunded: what Stripe says was refunded in total, minus what was already taken back,
  comes off the payment (its credit first, then its invoices: they are owed again).
- charge.dispute.created / closed: the dispute's status shows on the invoices; while it is open
  the payment stands (Stripe holds the money, the outcome is open); a lost dispute takes the
  disputed amount back like a refund, once; a won one leaves the payment as it was.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from billing import stripe_gateway as gateway
from billing.connect_events import register
from billing.online_models import OnlinePayment, OnlinePaymentInvoice
from billing.payments import record_online_payment, take_back_online
from billing.receivables_models import Payment
from config.clock import bakery_today, utcnow


def _attempt(session, *, metadata=None, payment_intent_id=None, session_id=None):
    """The bakery's attempt an object names: by our id in its metadata, else by Stripe's ids."""
    raw = (metadata or {}).get("online_payment_id")
    if raw:
        try:
            found = session.scalar(select(OnlinePayment).where(OnlinePayment.id == uuid.UUID(raw)))
        except ValueError:
            found = None
        if found is not None:
            return found
    if payment_intent_id:
        found = session.scalar(
            select(OnlinePayment).where(OnlinePayment.payment_intent_id == payment_intent_id)
        )
        if found is not None:
            return found
    if session_id:
        return session.scalar(
            select(OnlinePayment).where(OnlinePayment.checkout_session_id == session_id)
        )
    return None


def _wanted(session, attempt) -> dict:
    return {
        row.invoice_id: row.amount_minor
        for row in session.scalars(
            select(OnlinePaymentInvoice).where(OnlinePaymentInvoice.online_payment_id == attempt.id)
        )
    }


def sync_payment_intent(session, tenant, intent: dict, *, now=None) -> tuple[str, str]:
    """Bring the attempt behind `intent` (a PaymentIntent read from Stripe) in line with it."""
    now = now or utcnow()
    attempt = _attempt(session, metadata=intent.get("metadata"), payment_intent_id=intent["id"])
    if attempt is None:
        return "unmatched", f"PaymentIntent {intent['id']} pays no invoice of this bakery"
    attempt.payment_intent_id = intent["id"]
    attempt.charge_id = intent.get("latest_charge") or attempt.charge_id or ""
    status = intent.get("status")
    if status == "succeeded":
        if attempt.payment_id is not None:
            return "applied", f"payment for {intent['id']} already recorded"
        payment = record_online_payment(
            session,
            tenant,
            customer_id=attempt.customer_id,
            amount_minor=int(intent.get("amount_received") or intent.get("amount")),
            wanted=_wanted(session, attempt),
            payment_intent_id=intent["id"],
            received_on=bakery_today(tenant, now),
            now=now,
        )
        attempt.payment_id, attempt.status = payment.id, "succeeded"
        attempt.completed_at, attempt.failure_message = now, ""
        after_success(session, tenant, attempt, now=now)
        return "applied", f"recorded {payment.amount_minor} from {intent['id']}"
    if attempt.status == "succeeded":
        return "applied", "already succeeded"
    if status == "processing":
        attempt.status = "processing"
        return "applied", "payment under way"
    if status in ("requires_payment_method", "canceled"):
        error = intent.get("last_payment_error") or {}
        attempt.status = "failed"
        attempt.failure_message = (error.get("message") or "The payment did not go through.")[:500]
        attempt.completed_at = now
        after_failure(session, tenant, attempt, now=now)
        return "applied", f"payment failed: {attempt.failure_message}"
    return "applied", f"PaymentIntent is {status}: nothing to do yet"


# What else a payment's outcome sets off: autopay's email to the billing contacts after a
# failure, card-now checkout's order after a success or an expired session (they register here).
AFTER_FAILURE = []
AFTER_SUCCESS = []
AFTER_EXPIRY = []


def after_failure(session, tenant, attempt, *, now) -> None:
    for hook in AFTER_FAILURE:
        hook(session, tenant, attempt, now=now)


def after_success(session, tenant, attempt, *, now) -> None:
    for hook in AFTER_SUCCESS:
        hook(session, tenant, attempt, now=now)


def after_expiry(session, tenant, attempt, *, now) -> None:
    for hook in AFTER_EXPIRY:
        hook(session, tenant, attempt, now=now)


def _on_checkout(session, tenant, event):
    checkout = gateway.retrieve_checkout_session(event.object_id, account=event.account_id)
    if checkout.get("mode") == "setup":
        from billing.autopay import save_card

        return save_card(session, tenant, checkout)
    intent_id = checkout.get("payment_intent")
    if isinstance(intent_id, dict):
        intent_id = intent_id.get("id")
    if intent_id:
        intent = gateway.retrieve_payment_intent(intent_id, account=event.account_id)
        intent.setdefault("metadata", {})
        if not intent["metadata"].get("online_payment_id"):
            intent["metadata"] = checkout.get("metadata") or {}
        return sync_payment_intent(session, tenant, intent)
    attempt = _attempt(session, metadata=checkout.get("metadata"), session_id=checkout["id"])
    if attempt is None:
        return "unmatched", f"Checkout Session {checkout['id']} pays no invoice of this bakery"
    if checkout.get("status") == "expired" and attempt.status in ("open", "expired"):
        # Also for an attempt already marked expired (the buyer's cancel or the sweep marks it
        # first): the hooks act once whatever the number of calls.
        attempt.status = "expired"
        after_expiry(session, tenant, attempt, now=utcnow())
        return "applied", "the buyer left Checkout without paying"
    return "applied", f"session {checkout.get('status')}: nothing to do yet"


for _type in (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
):
    register(_type)(_on_checkout)


@register("payment_intent.succeeded")
@register("payment_intent.payment_failed")
@register("payment_intent.processing")
def on_payment_intent(session, tenant, event):
    """A PaymentIntent changed: apply what Stripe says it is now."""
    intent = gateway.retrieve_payment_intent(event.object_id, account=event.account_id)
    return sync_payment_intent(session, tenant, intent)


def _payment_of(session, attempt):
    if attempt is None or attempt.payment_id is None:
        return None
    return session.scalar(select(Payment).where(Payment.id == attempt.payment_id))


@register("charge.refunded")
def on_charge_refunded(session, tenant, event):
    """Refunds on Stripe: the refunded total not yet taken back comes off the invoices."""
    charge = gateway.retrieve_charge(event.object_id, account=event.account_id)
    attempt = _attempt(
        session, metadata=charge.get("metadata"), payment_intent_id=charge.get("payment_intent")
    )
    payment = _payment_of(session, attempt)
    if payment is None:
        return "unmatched", f"charge {charge['id']} pays no recorded invoice payment"
    refunded = int(charge.get("amount_refunded") or 0)
    delta = refunded - attempt.refunded_minor
    if delta <= 0:
        return "applied", "refund already shown"
    attempt.refunded_minor = refunded
    taken = take_back_online(
        session, tenant, payment, delta, reason="Refunded on Stripe", now=utcnow()
    )
    return "applied", f"refunded {delta}; {taken} owed again on invoices"


@register("charge.dispute.created")
@register("charge.dispute.updated")
@register("charge.dispute.closed")
def on_dispute(session, tenant, event):
    """A dispute opened or closed: show it; a lost one takes the money back, once."""
    dispute = gateway.retrieve_dispute(event.object_id, account=event.account_id)
    attempt = _attempt(session, payment_intent_id=dispute.get("payment_intent"))
    payment = _payment_of(session, attempt)
    if payment is None:
        return "unmatched", f"dispute {dispute['id']} is on no recorded invoice payment"
    status = str(dispute.get("status") or "")
    if status == "lost" and attempt.dispute_status != "lost":
        # A lost dispute is money gone, as a refund is; what was refunded before stays counted.
        amount = min(int(dispute.get("amount") or 0), payment.amount_minor)
        take_back_online(session, tenant, payment, amount, reason="Dispute lost", now=utcnow())
    attempt.dispute_status = status[:30]
    return "applied", f"dispute {status}"


# Autopay listens for declined charges (its failure email) and card-now checkout for paid and
# expired sessions (its orders) through the hooks above.
from billing import autopay, card_checkout  # noqa: E402,F401
