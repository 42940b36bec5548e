"""What applying a Connect webhook event does, by event type: a registry.

A handler is `fn(session, tenant, event) -> (status, outcome)` with `event` the stored
`StripeConnectEvent` (its `type`, `object_id`, `account_id`), called with the session bound to
the bakery. It re-reads the object from Stripe through the gateway on the bakery's account and
applies its current state, so calling it for a repeated or late event changes nothing twice.
An event type with no handler is stored and marked "ignored", never "applied".

INVOICE PAYMENT HOOK: the invoice-payment work registers its handlers here, one line each:

    @register("checkout.session.completed")
    def on_invoice_checkout(session, tenant, event): ...

for the types in `INVOICE_PAYMENT_EVENTS`. Until it does, those events are kept, ignored.
"""

from __future__ import annotations

from collections.abc import Callable

from billing import stripe_gateway as gateway
from billing.connect import apply_account

HANDLERS: dict[str, Callable] = {}

# Buyers paying invoices on a bakery's account: awaiting the invoice-payment work's handlers.
INVOICE_PAYMENT_EVENTS = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.closed",
)


def register(event_type: str):
    """Make the decorated function the handler of Connect events of `event_type`."""

    def decorator(fn):
        if event_type in HANDLERS and HANDLERS[event_type] is not fn:
            raise ValueError(f"a handler for {event_type} is already registered")
        HANDLERS[event_type] = fn
        return fn

    return decorator


@register("account.updated")
def on_account_updated(session, tenant, event):
    """The bakery's account changed on Stripe (onboarding progressed, requirements due)."""
    if event.account_id != tenant.stripe_account_id:
        return "ignored", "the bakery disconnected this account since"
    account = gateway.retrieve_account(event.account_id)
    changes = apply_account(session, tenant, account)
    return "applied", ", ".join(f"{k} -> {a}" for k, (_b, a) in changes.items()) or "no change"


# The invoice-payment handlers register themselves on import (after `register` exists).
from billing import online_events  # noqa: E402,F401
