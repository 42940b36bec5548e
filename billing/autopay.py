"""Pay automatically: a buyer saves a card on the bakery's Stripe account and opts in; each
invoice is then charged off-session on its due date, once.

- `start_card_setup`: Checkout in setup mode on the connected account (a Stripe customer there
  holds the card); the `checkout.session.completed` webhook calls `save_card`.
- `set_enabled` / `remove_card`: the buyer opts in or out and removes the card at any time.
- `charge_due_invoices` (the daily job): every open invoice due today of a customer with autopay
  on is charged once: its `OnlinePayment` row's idempotency key `autopay-<invoice id>` is unique
  per bakery and is the key Stripe gets, so a second run (or a retried job) charges nothing
  again. A paid invoice is skipped. A success is recorded by the same code as the webhook; a
  decline marks the attempt failed, shows on the invoice and emails the billing contacts a link
  to pay by hand.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from billing import stripe_gateway as gateway
from billing.dunning import reminder_context
from billing.models import Invoice
from billing.notify import recipients
from billing.online_events import AFTER_FAILURE, sync_payment_intent
from billing.online_models import Autopay, OnlinePayment, OnlinePaymentInvoice
from billing.online_payments import application_fee, can_pay_online, metadata
from billing.payments import open_invoices
from config.clock import bakery_today, utcnow
from tenants.actors import as_actor, require
from tenants.customers.models import Customer
from tenants.errors import ValidationFailed
from tenants.outbox import queue_email
from tenants.scoping import check_bound

FAILED_TEMPLATE = "autopay_failed"


def autopay_of(session, customer_id) -> Autopay | None:
    """The customer's saved card and opt-in, if they ever started one."""
    return session.scalar(select(Autopay).where(Autopay.customer_id == customer_id))


def _row(session, tenant, customer_id, now) -> Autopay:
    row = autopay_of(session, customer_id)
    if row is None:
        row = Autopay(tenant_id=tenant.id, customer_id=customer_id, updated_at=now)
        session.add(row)
        session.flush()
    return row


def start_card_setup(
    session, tenant, *, contact, success_url: str, cancel_url: str, now: datetime | None = None
) -> str:
    """The URL of a setup-mode Checkout that saves the buyer's card on the bakery's account."""
    check_bound(session, tenant)
    require(contact, "pay_invoices", on=contact.customer)
    if not can_pay_online(tenant):
        raise ValidationFailed(gettext("Online payment is not available."))
    now = now or utcnow()
    row = _row(session, tenant, contact.customer_id, now)
    account = tenant.stripe_account_id
    if not row.stripe_customer_id:
        customer = gateway.create_connect_customer(
            account=account,
            params={
                "name": contact.customer.display_name,
                "email": contact.email,
                "metadata": {"tenant_id": str(tenant.id), "customer_id": str(row.customer_id)},
            },
            idempotency_key=f"autopay-customer-{row.customer_id}",
        )
        row.stripe_customer_id = customer["id"]
    checkout = gateway.create_connect_checkout(
        account=account,
        params={
            "mode": "setup",
            "customer": row.stripe_customer_id,
            "currency": tenant.currency.lower(),
            "payment_method_types": ["card"],
            "metadata": {"tenant_id": str(tenant.id), "customer_id": str(row.customer_id)},
            "success_url": success_url,
            "cancel_url": cancel_url,
        },
        idempotency_key=f"autopay-setup-{row.customer_id}-{gateway.hour_bucket(now)}",
    )
    row.setup_session_id = checkout["id"]
    row.updated_at = now
    session.flush()
    return checkout["url"]


def save_card(session, tenant, checkout: dict) -> tuple[str, str]:
    """The webhook's half of the setup: keep the card the buyer saved (read from Stripe)."""
    raw = (checkout.get("metadata") or {}).get("customer_id") or ""
    try:
        customer_id = uuid.UUID(raw)
    except ValueError:
        return "unmatched", "setup session names no customer"
    row = autopay_of(session, customer_id)
    if row is None or checkout.get("customer") != row.stripe_customer_id:
        return "unmatched", "setup session for no autopay of this bakery"
    if checkout.get("status") != "complete" or not checkout.get("setup_intent"):
        return "applied", "setup not complete"
    intent = gateway.retrieve_setup_intent(
        checkout["setup_intent"], account=tenant.stripe_account_id
    )
    method = intent.get("payment_method") or {}
    if isinstance(method, str):
        method = {"id": method}
    if row.payment_method_id == method.get("id"):
        return "applied", "card already saved"
    card = method.get("card") or {}
    row.payment_method_id = method.get("id") or ""
    row.card_label = f"{card.get('brand', 'card')} •••• {card.get('last4', '')}".strip()[:60]
    row.updated_at, row.updated_by_name = utcnow(), "Stripe"
    return "applied", f"card saved ({row.card_label})"


def set_enabled(session, tenant, *, contact, enabled: bool, now=None) -> Autopay:
    """Opt in (needs a saved card) or out of paying invoices on their due dates."""
    check_bound(session, tenant)
    require(contact, "pay_invoices", on=contact.customer)
    now = now or utcnow()
    row = _row(session, tenant, contact.customer_id, now)
    if enabled and not row.payment_method_id:
        raise ValidationFailed(gettext("Save a card first."))
    row.enabled, row.updated_at, row.updated_by_name = enabled, now, as_actor(contact).name
    session.flush()
    return row


def remove_card(session, tenant, *, contact, now=None) -> None:
    """Forget the saved card (detached on Stripe too) and stop autopay."""
    check_bound(session, tenant)
    require(contact, "pay_invoices", on=contact.customer)
    row = autopay_of(session, contact.customer_id)
    if row is None or not row.payment_method_id:
        raise ValidationFailed(gettext("No card is saved."))
    if gateway.is_on() and tenant.stripe_account_id:
        gateway.detach_payment_method(row.payment_method_id, account=tenant.stripe_account_id)
    row.payment_method_id, row.card_label, row.enabled = "", "", False
    row.updated_at, row.updated_by_name = now or utcnow(), as_actor(contact).name
    session.flush()


def _charge(session, tenant, autopay: Autopay, invoice: Invoice, now) -> str | None:
    """Charge `invoice` once: None when it was tried before (whatever came of it)."""
    key = f"autopay-{invoice.id}"
    if session.scalar(select(OnlinePayment.id).where(OnlinePayment.idempotency_key == key)):
        return None
    attempt = OnlinePayment(
        tenant_id=tenant.id,
        id=uuid.uuid4(),
        customer_id=invoice.customer_id,
        kind="autopay",
        idempotency_key=key,
        selection_key="",
        attempt=1,
        amount_minor=invoice.balance_minor,
        application_fee_minor=application_fee(invoice.balance_minor),
        currency=invoice.currency,
        status="open",
        created_at=now,
    )
    session.add(attempt)
    session.add(
        OnlinePaymentInvoice(
            tenant_id=tenant.id,
            online_payment_id=attempt.id,
            invoice_id=invoice.id,
            amount_minor=invoice.balance_minor,
        )
    )
    session.flush()
    params = {
        "amount": attempt.amount_minor,
        "currency": invoice.currency.lower(),
        "customer": autopay.stripe_customer_id,
        "payment_method": autopay.payment_method_id,
        "off_session": "true",
        "confirm": "true",
        "metadata": metadata(tenant, attempt, [invoice]),
        "description": f"{tenant.name}: {invoice.number}",
    }
    if attempt.application_fee_minor:
        params["application_fee_amount"] = attempt.application_fee_minor
    intent = gateway.create_off_session_payment(
        account=tenant.stripe_account_id, params=params, idempotency_key=key
    )
    intent.setdefault("id", f"declined-{attempt.id}")
    intent["metadata"] = intent.get("metadata") or metadata(tenant, attempt, [invoice])
    sync_payment_intent(session, tenant, intent, now=now)
    return attempt.status


def charge_due_invoices(session, tenant, *, now: datetime | None = None) -> dict:
    """The daily job: charge each opted-in customer's open invoices due today, once each;
    returns {invoice number: outcome}."""
    check_bound(session, tenant)
    now = now or utcnow()
    if not can_pay_online(tenant, None):
        return {}
    today = bakery_today(tenant, now)
    done = {}
    for autopay in session.scalars(
        select(Autopay).where(Autopay.enabled.is_(True), Autopay.payment_method_id != "")
    ):
        for invoice in open_invoices(session, autopay.customer_id):
            if invoice.due_date == today and invoice.balance_minor > 0:
                outcome = _charge(session, tenant, autopay, invoice, now)
                if outcome is not None:
                    done[invoice.number] = outcome
    return done


def _email_failure(session, tenant, attempt, *, now) -> None:
    """An autopay charge was declined: tell the billing contacts, with a link to pay."""
    if attempt.kind != "autopay":
        return
    link = session.scalar(
        select(OnlinePaymentInvoice).where(OnlinePaymentInvoice.online_payment_id == attempt.id)
    )
    invoice = session.scalar(select(Invoice).where(Invoice.id == link.invoice_id))
    customer = session.scalar(select(Customer).where(Customer.id == invoice.customer_id))
    context = reminder_context(tenant, invoice, customer, today=bakery_today(tenant, now))
    context["failure"] = attempt.failure_message
    for email, name in recipients(session, customer, invoice):
        queue_email(
            session,
            tenant,
            to_email=email,
            to_name=name,
            template=FAILED_TEMPLATE,
            context={**context, "recipient_name": name},
            now=now,
        )


AFTER_FAILURE.append(_email_failure)
