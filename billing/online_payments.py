"""Buyers pay one or several invoices through Stripe Checkout on the bakery's account.

A contact with `pay_invoices` picks open invoices they may see; `start_checkout` stores an
`OnlinePayment` naming them and creates a Checkout Session on the bakery's connected account
(a direct charge: the `Stripe-Account` header) with the platform's application fee and the
bakery, the attempt and the invoices in the metadata of both the session and its PaymentIntent
(Stripe copies neither to the other). The idempotency key is derived from the invoices, their
balances and the attempt number: a double click within the session's life is sent back to the
same Checkout page, a later try is a new attempt. Nothing is paid until the webhooks
(`billing.online_events`) say so.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from billing import stripe_gateway as gateway
from billing.connect import payments_enabled
from billing.models import Invoice
from billing.online_models import OnlinePayment, OnlinePaymentInvoice
from billing.queries import get_invoice_for_contact
from config.clock import utcnow
from tenants.actors import require
from tenants.errors import NotFound, ValidationFailed
from tenants.scoping import check_bound

# Checkout's shortest session life: a double click inside it gets the same page back.
SESSION_LIFE = timedelta(minutes=30)
# Stripe metadata values hold 500 characters: ten invoice ids fit with room to spare.
MAX_INVOICES = 10


def can_pay_online(tenant, contact=None) -> bool:
    """Whether pay buttons show: Stripe on, the tier's `online_payments`, an active account,
    and (when given) a contact allowed to pay."""
    if not payments_enabled(tenant):
        return False
    return contact is None or contact.may("pay_invoices", on=contact.customer)


def application_fee(amount_minor: int) -> int:
    """The platform's fee on `amount_minor` (STRIPE_APPLICATION_FEE_BPS), rounded half up."""
    bps = current_app.config["SETTINGS"].stripe_application_fee_bps
    return (amount_minor * bps + 5_000) // 10_000


def payable_invoices(session, contact, invoice_ids) -> list[Invoice]:
    """The invoices `invoice_ids` if the contact may see and pay every one of them; NotFound
    for any the contact may not see (like a missing one)."""
    ids = list(dict.fromkeys(str(i) for i in invoice_ids if i))
    if not ids:
        raise ValidationFailed(gettext("Choose at least one invoice to pay."), field="invoice")
    if len(ids) > MAX_INVOICES:
        raise ValidationFailed(
            gettext("Pay at most %(num)d invoices at once.", num=MAX_INVOICES), field="invoice"
        )
    invoices = [get_invoice_for_contact(session, contact, i) for i in ids]
    for invoice in invoices:
        if invoice.is_void or invoice.balance_minor <= 0:
            raise ValidationFailed(
                gettext("Invoice %(number)s has nothing left to pay.", number=invoice.number),
                field="invoice",
            )
    return sorted(invoices, key=lambda i: (i.due_date, i.sequence))


def selection_key(invoices) -> str:
    """What an attempt pays, as a short digest: the invoices and their balances."""
    text = ",".join(f"{i.id}:{i.balance_minor}" for i in sorted(invoices, key=lambda i: str(i.id)))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def metadata(tenant, online_payment, invoices) -> dict:
    """What Stripe keeps on the session and the PaymentIntent: whose money, for what."""
    return {
        "tenant_id": str(tenant.id),
        "bakery": tenant.slug,
        "online_payment_id": str(online_payment.id),
        "invoice_ids": ",".join(str(i.id) for i in invoices),
        "invoice_numbers": ", ".join(i.number for i in invoices)[:500],
    }


def _reusable(session, key: str, now: datetime) -> OnlinePayment | None:
    return session.scalar(
        select(OnlinePayment)
        .where(
            OnlinePayment.selection_key == key,
            OnlinePayment.kind == "checkout",
            OnlinePayment.status == "open",
            OnlinePayment.created_at > now - SESSION_LIFE + timedelta(minutes=2),
        )
        .order_by(OnlinePayment.attempt.desc())
        .limit(1)
    )


def start_checkout(
    session,
    tenant,
    *,
    contact,
    invoice_ids,
    success_url: str,
    cancel_url: str,
    now: datetime | None = None,
) -> str:
    """Create (or find, for a double click) the Checkout Session paying `invoice_ids`; returns
    its URL. Flushes the attempt; the caller commits."""
    check_bound(session, tenant)
    require(contact, "pay_invoices", on=contact.customer)
    if not can_pay_online(tenant):
        raise NotFound(gettext("Online payment is not available."))
    invoices = payable_invoices(session, contact, invoice_ids)
    return open_checkout(
        session,
        tenant,
        contact=contact,
        invoices=invoices,
        success_url=success_url,
        cancel_url=cancel_url,
        now=now or utcnow(),
    ).checkout_url


def open_checkout(
    session,
    tenant,
    *,
    contact,
    invoices: list[Invoice],
    success_url: str,
    cancel_url: str,
    now: datetime,
    label: str = "",
) -> OnlinePayment:
    """The attempt paying `invoices` (the caller checked who may pay them) with its Checkout
    Session on the bakery's account: a reusable open one for the same invoices and balances,
    or a new attempt. `label` names what is paid on Stripe's page ("Order 1042")."""
    key = selection_key(invoices)
    reuse = _reusable(session, key, now)
    if reuse is not None and reuse.checkout_url:
        return reuse
    attempt = 1 + (
        session.scalar(
            select(func.coalesce(func.max(OnlinePayment.attempt), 0)).where(
                OnlinePayment.selection_key == key
            )
        )
        or 0
    )
    total = sum(i.balance_minor for i in invoices)
    row = OnlinePayment(
        tenant_id=tenant.id,
        id=uuid.uuid4(),
        customer_id=contact.customer_id,
        contact_id=contact.id,
        kind="checkout",
        idempotency_key=f"invoices-{key}-{attempt}",
        selection_key=key,
        attempt=attempt,
        amount_minor=total,
        application_fee_minor=application_fee(total),
        currency=tenant.currency,
        status="open",
        created_at=now,
    )
    session.add(row)
    for invoice in invoices:
        session.add(
            OnlinePaymentInvoice(
                tenant_id=tenant.id,
                online_payment_id=row.id,
                invoice_id=invoice.id,
                amount_minor=invoice.balance_minor,
            )
        )
    session.flush()
    meta = metadata(tenant, row, invoices)
    payment_intent_data: dict = {
        "metadata": meta,
        "description": f"{tenant.name}: {label or meta['invoice_numbers']}"[:1000],
    }
    if row.application_fee_minor:
        payment_intent_data["application_fee_amount"] = row.application_fee_minor
    checkout = gateway.create_connect_checkout(
        account=tenant.stripe_account_id,
        params={
            "mode": "payment",
            "client_reference_id": str(row.id),
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": tenant.currency.lower(),
                        "unit_amount": invoice.balance_minor,
                        "product_data": {
                            "name": f"{label} · Invoice {invoice.number}"
                            if label
                            else f"Invoice {invoice.number}"
                        },
                    },
                }
                for invoice in invoices
            ],
            "payment_intent_data": payment_intent_data,
            "metadata": meta,
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": int((now + SESSION_LIFE).timestamp()),
        },
        idempotency_key=row.idempotency_key,
    )
    row.checkout_session_id = checkout["id"]
    row.checkout_url = checkout.get("url") or ""
    session.flush()
    return row


def invoice_online_state(session, invoice_ids) -> dict:
    """{invoice id: [OnlinePayment]} of the attempts naming these invoices that buyers and
    staff should see (under way, failed, refunded or disputed), newest first."""
    ids = list(invoice_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(OnlinePaymentInvoice.invoice_id, OnlinePayment)
        .join(OnlinePayment, OnlinePayment.id == OnlinePaymentInvoice.online_payment_id)
        .where(
            OnlinePaymentInvoice.invoice_id.in_(ids),
            (OnlinePayment.status.in_(("processing", "failed")))
            | (OnlinePayment.refunded_minor > 0)
            | (OnlinePayment.dispute_status != ""),
        )
        .order_by(OnlinePayment.created_at.desc())
    ).all()
    found: dict = {}
    for invoice_id, payment in rows:
        found.setdefault(invoice_id, []).append(payment)
    return found
