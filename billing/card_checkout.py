"""Card now at checkout: the order's invoice is issued and paid through Stripe Checkout before
the order counts.

What checkout offers is the bakery's choice (`BillingSettings.checkout_payment`: on account,
card now, or both), which a customer's billing row may override. Card now needs online
payments to be on (Stripe keys, the tier's `online_payments`, an active connected account);
without them checkout offers "on account" only, whatever the setting says.

Paying by card:
1. `place_and_pay` places the cart's order "awaiting payment" (nobody is told, the cart stays
   full), issues its invoice at once (due on receipt, not emailed yet; credit on account pays
   it first) and opens a Checkout Session for it on the bakery's account.
2. The money arrives through the Connect webhooks (`billing.online_events` records it on the
   invoice) or the buyer's return from Checkout (which reads the session and applies it the
   same way, so the buyer sees a confirmed order without waiting for the webhook). Either way
   `_on_paid` settles the order once (`tenants.orders.prepaid.settle_prepaid`: confirmed, the
   buyer and the bakery told, the cart emptied) and emails the paid invoice.
3. No money: the buyer cancels (their session is expired on Stripe first, so it cannot be
   paid afterwards), the session expires (Stripe's `checkout.session.expired`), or the hourly
   sweep finds the attempt long dead. The order is released (cancelled, nobody told) and its
   invoice voided (its number stays, marked void). An abandoned payment leaves no confirmed
   order, and no order is confirmed twice: both paths move it out of "awaiting payment" with a
   compare-and-set on its status.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select

from billing import notify
from billing import stripe_gateway as gateway
from billing.invoicing import issue_invoice
from billing.models import CHECKOUT_PAYMENTS, Invoice
from billing.online_events import AFTER_EXPIRY, AFTER_SUCCESS, sync_payment_intent
from billing.online_models import OnlinePayment, OnlinePaymentInvoice
from billing.online_payments import SESSION_LIFE, can_pay_online, open_checkout
from billing.settings import customer_billing, get_settings
from billing.stripe_gateway import StripeUnavailable
from billing.voiding import void_invoice
from tenants.actors import require
from tenants.customers.models import Customer
from tenants.errors import ValidationFailed
from tenants.orders.checkout import checkout
from tenants.orders.models import Order
from tenants.orders.prepaid import AWAITING, awaiting_orders, release_unpaid, settle_prepaid
from tenants.orders.queries import get_order_for_contact
from tenants.scoping import check_bound

# After its Checkout Session's life, an attempt nobody heard back about is looked at by the
# sweep (Stripe's own expiry event normally comes first).
SWEEP_AFTER = SESSION_LIFE + timedelta(minutes=15)
ABANDONED = "Card payment not completed."
CARD_INVOICE_MODE = "card_at_checkout"


@dataclass(frozen=True)
class CardCheckout:
    """The order placed, whether this call placed it (False: an earlier submit of the form
    did), and where the buyer pays it (None: on account, or nothing left to pay)."""

    order: Order
    pay_url: str | None
    created: bool = True


def bakery_choice(session, tenant) -> str:
    """The bakery's own checkout setting: "account", "card" or "both"."""
    return get_settings(session, tenant).checkout_payment or "account"


def customer_choice(session, customer) -> str | None:
    """The customer's override of the bakery's setting, or None."""
    row = customer_billing(session, customer)
    return row.checkout_payment if row is not None and row.checkout_payment else None


def checkout_options(session, tenant, customer) -> tuple[str, ...]:
    """What this customer's checkout offers now: ("account",), ("card",) or both, in that
    order. Card only where online payments are on; without them, on account."""
    choice = customer_choice(session, customer) or bakery_choice(session, tenant)
    if choice == "account" or not can_pay_online(tenant):
        return ("account",)
    return ("card",) if choice == "card" else ("account", "card")


def set_checkout_payment(session, tenant, *, actor, choice: str) -> str:
    """Save what checkout offers the bakery's customers (staff with `settings`)."""
    require(actor, "settings", message="You don't have permission to change settings.")
    if choice not in CHECKOUT_PAYMENTS:
        raise ValidationFailed("Choose what checkout offers.", field="checkout_payment")
    row = get_settings(session, tenant)
    row.checkout_payment = choice
    session.add(row)
    session.flush()
    return choice


def place_from_cart(
    session,
    tenant,
    *,
    contact,
    customer,
    payment: str,
    location_id,
    delivery_date,
    po_number: str,
    notes: str,
    idempotency_key: str,
    allow_second_order: bool = False,
    success_url_for,
    cancel_url_for,
    now: datetime,
) -> CardCheckout:
    """Checkout: place the contact's cart, on account or (`payment` "card") awaiting its card
    payment with its invoice issued and a Checkout Session open for it.

    `success_url_for(order)` / `cancel_url_for(order)` give the pages Stripe sends the buyer
    back to. A resubmitted form (same key) gets the first submit's order (and its open
    Checkout page) back. A payment the customer's checkout does not offer is refused next to
    the field."""
    check_bound(session, tenant)
    options = checkout_options(session, tenant, customer)
    if payment not in options:
        raise ValidationFailed(
            gettext("Paying by card is not available; choose to pay on account.")
            if payment == "card"
            else gettext("%(bakery)s takes payment by card at checkout.", bakery=tenant.name),
            field="payment",
        )
    placement = checkout(
        session,
        tenant,
        contact=contact,
        customer=customer,
        location_id=location_id,
        delivery_date=delivery_date,
        po_number=po_number,
        notes=notes,
        idempotency_key=idempotency_key,
        allow_second_order=allow_second_order,
        pay_by_card=payment == "card",
        now=now,
    )
    order = placement.order
    if payment != "card":
        return CardCheckout(order, None, placement.created)
    if not placement.created:  # a resubmitted form: its order's open Checkout page
        paying = _resume(session, tenant, contact, order, success_url_for, cancel_url_for, now)
        return CardCheckout(order, paying.pay_url, False)
    invoice = issue_card_invoice(session, tenant, order=order, customer=customer, now=now)
    if invoice.balance_minor <= 0:
        session.refresh(order)
        return CardCheckout(order, None)
    return _resume(session, tenant, contact, order, success_url_for, cancel_url_for, now)


def issue_card_invoice(session, tenant, *, order: Order, customer, now: datetime) -> Invoice:
    """Issue the invoice of an order awaiting its card payment: due on receipt, its email held
    back until it is paid. Credit the customer holds on account pays it first; if that covers
    it, the order is settled at once."""
    invoice = issue_invoice(
        session,
        tenant,
        customer=customer,
        orders=[order],
        mode=CARD_INVOICE_MODE,
        order_key=order,
        payment_terms="due_on_receipt",
        notify_customer=False,
        now=now,
    )
    if invoice.balance_minor <= 0:
        _settle(session, tenant, order.id, invoice, customer, now)
    return invoice


def order_invoice(session, order: Order) -> Invoice | None:
    """The invoice a card-now order was issued (one per order)."""
    return session.scalar(select(Invoice).where(Invoice.order_id == order.id))


def resume_payment(
    session, tenant, *, contact, order_id, success_url_for, cancel_url_for, now: datetime
) -> CardCheckout:
    """The buyer's "Pay now" on an order still awaiting payment: its open Checkout page, or a
    new one. NotFound for an order the contact may not see."""
    check_bound(session, tenant)
    order = get_order_for_contact(session, contact, order_id)
    return _resume(session, tenant, contact, order, success_url_for, cancel_url_for, now)


def _resume(session, tenant, contact, order, success_url_for, cancel_url_for, now):
    """The Checkout page paying an order awaiting payment (an open one reused, else a new
    attempt); no page for an order no longer waiting."""
    if order.status != AWAITING:
        return CardCheckout(order, None)
    if not can_pay_online(tenant):
        raise ValidationFailed(
            gettext(
                "Paying by card is not available right now; cancel the order or ask the bakery."
            ),
            field="payment",
        )
    invoice = order_invoice(session, order)
    attempt = open_checkout(
        session,
        tenant,
        contact=contact,
        invoices=[invoice],
        success_url=success_url_for(order),
        cancel_url=cancel_url_for(order),
        now=now,
        label=gettext("Order %(number)s", number=order.number),
    )
    return CardCheckout(order, attempt.checkout_url)


def _attempts_of(session, invoice: Invoice) -> list[OnlinePayment]:
    return list(
        session.scalars(
            select(OnlinePayment)
            .join(OnlinePaymentInvoice, OnlinePaymentInvoice.online_payment_id == OnlinePayment.id)
            .where(OnlinePaymentInvoice.invoice_id == invoice.id)
            .order_by(OnlinePayment.created_at)
        )
    )


def check_payment(session, tenant, *, contact, order_id, now: datetime) -> Order:
    """The buyer is back from Checkout: read the order's sessions from Stripe and apply what
    they say (a paid one settles the order now, as its webhook would later, once). Stripe
    being unreachable changes nothing: the webhook still comes."""
    check_bound(session, tenant)
    order = get_order_for_contact(session, contact, order_id)
    if order.status == AWAITING and gateway.is_on():
        # Unreachable Stripe changes nothing here: the webhook still comes.
        with contextlib.suppress(StripeUnavailable):
            _apply_sessions(session, tenant, order, now)
        session.refresh(order)
    return order


def _apply_sessions(session, tenant, order, now) -> str:
    """Apply each of the order's open Checkout Sessions as Stripe has it; "paid" if one was,
    "open" if one still may be, else "dead"."""
    invoice = order_invoice(session, order)
    state = "dead"
    for attempt in _attempts_of(session, invoice) if invoice is not None else []:
        if attempt.status in ("succeeded", "processing"):
            return "paid" if attempt.status == "succeeded" else "open"
        if attempt.status != "open" or not attempt.checkout_session_id:
            continue
        found = gateway.retrieve_checkout_session(
            attempt.checkout_session_id, account=tenant.stripe_account_id
        )
        intent_id = found.get("payment_intent")
        if isinstance(intent_id, dict):
            intent_id = intent_id.get("id")
        if found.get("status") == "complete" and intent_id:
            intent = gateway.retrieve_payment_intent(intent_id, account=tenant.stripe_account_id)
            if not (intent.get("metadata") or {}).get("online_payment_id"):
                intent["metadata"] = found.get("metadata") or {}
            sync_payment_intent(session, tenant, intent, now=now)
            if attempt.status == "succeeded":
                return "paid"
            state = "open"  # a delayed method under way
        elif found.get("status") == "open":
            state = "open"
        else:
            attempt.status = "expired"
    return state


def cancel_unpaid(session, tenant, *, contact, order_id, now: datetime) -> Order:
    """The buyer gives up paying: their Checkout Sessions are expired on Stripe (so none can be
    paid afterwards), then the order is released and its invoice voided. If Stripe says one
    was paid meanwhile, that payment is applied instead and the order stands. StripeUnavailable
    when Stripe cannot be asked: nothing changes then."""
    check_bound(session, tenant)
    order = get_order_for_contact(session, contact, order_id)
    if order.status != AWAITING:
        raise ValidationFailed(
            gettext("This order is no longer waiting for a payment."), field="form"
        )
    invoice = order_invoice(session, order)
    if gateway.is_on() and invoice is not None:
        for attempt in _attempts_of(session, invoice):
            if attempt.status == "open" and attempt.checkout_session_id:
                try:
                    gateway.expire_connect_checkout(
                        attempt.checkout_session_id, account=tenant.stripe_account_id
                    )
                    attempt.status = "expired"
                except StripeUnavailable:
                    # Refused: most likely paid a moment ago. Read it and apply what it is.
                    if _apply_sessions(session, tenant, order, now) != "dead":
                        session.refresh(order)
                        return order
        if any(a.status == "processing" for a in _attempts_of(session, invoice)):
            raise ValidationFailed(
                gettext("Your payment is being processed; the order can't be cancelled now."),
                field="form",
            )
    _release(session, tenant, order, invoice, gettext("Cancelled before paying."), now)
    session.refresh(order)
    return order


def _release(session, tenant, order, invoice, reason: str, now) -> bool:
    """Release the order (once) and void its unpaid invoice; True if this call released it."""
    released = release_unpaid(session, tenant, order_id=order.id, reason=reason, now=now)
    if released is None:
        return False
    # Money that arrived on the invoice after all stays (staff refund it); else it is void.
    if invoice is not None and not invoice.is_void and not invoice.paid_minor:
        void_invoice(session, tenant, actor=None, invoice=invoice, reason=ABANDONED, now=now)
    return True


def _settle(session, tenant, order_id, invoice, customer, now) -> None:
    settled = settle_prepaid(session, tenant, order_id=order_id, now=now)
    if settled is not None:
        notify.invoice_issued(session, tenant, invoice=invoice, customer=customer, now=now)


def _card_invoices(session, attempt) -> list[Invoice]:
    return list(
        session.scalars(
            select(Invoice)
            .join(OnlinePaymentInvoice, OnlinePaymentInvoice.invoice_id == Invoice.id)
            .where(
                OnlinePaymentInvoice.online_payment_id == attempt.id,
                Invoice.mode == CARD_INVOICE_MODE,
            )
        )
    )


def _on_paid(session, tenant, attempt, *, now) -> None:
    """A payment recorded: settle the card-now orders of the invoices it paid in full."""
    for invoice in _card_invoices(session, attempt):
        if invoice.balance_minor > 0 or invoice.order_id is None:
            continue
        customer = session.scalar(select(Customer).where(Customer.id == invoice.customer_id))
        _settle(session, tenant, invoice.order_id, invoice, customer, now)


def _on_expired(session, tenant, attempt, *, now) -> None:
    """A Checkout Session expired unpaid: release its card-now order unless another attempt
    for the same invoice is still open or paid (the buyer pressed "Pay now" again)."""
    for invoice in _card_invoices(session, attempt):
        if invoice.order_id is None or invoice.balance_minor <= 0:
            continue
        others = [a for a in _attempts_of(session, invoice) if a.id != attempt.id]
        if any(a.status in ("open", "processing", "succeeded") for a in others):
            continue
        order = session.scalar(select(Order).where(Order.id == invoice.order_id))
        if order is not None and order.status == AWAITING:
            _release(session, tenant, order, invoice, gettext(ABANDONED), now)


AFTER_SUCCESS.append(_on_paid)
AFTER_EXPIRY.append(_on_expired)


def sweep_unpaid(session, tenant, *, now: datetime) -> int:
    """Release the bound bakery's orders still awaiting a payment long after their Checkout
    Session ended (a lost expiry event, Stripe switched off meanwhile); one Stripe could still
    settle is applied instead. Safe to run again. Returns how many orders were released."""
    released = 0
    for order in awaiting_orders(session, placed_before=now - SWEEP_AFTER):
        invoice = order_invoice(session, order)
        if gateway.is_on() and tenant.stripe_account_id:
            try:
                state = _apply_sessions(session, tenant, order, now)
            except StripeUnavailable:
                continue  # ask again next hour rather than release an order that may be paid
            if state != "dead":
                continue  # paid now, or a fresh "Pay now" is under way
        if _release(session, tenant, order, invoice, gettext(ABANDONED), now):
            released += 1
    return released
