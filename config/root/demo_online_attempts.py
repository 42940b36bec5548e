"""Demo online payments: Café Aurora paid some invoices by card in the past, so the back
office's "Online payment attempts" page has something to follow up. One payment went through,
one card was declined ("Your card was declined."), one payment is disputed (needs a response)
and one was partly refunded.

The demo runs with Stripe off and invents no keys. What Stripe would have said (the attempts,
their PaymentIntent ids marked `pi_demo_...`, the decline, the dispute, the refunded total) is
written to the attempts as the webhooks write it; the money goes through the receivables
service the webhooks use (`record_online_payment`, `take_back_online`), so invoices, payments
and receivables agree. Runs once: a bakery with online payment attempts is left as it is.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from config.clock import bakery_today, utcnow


def seed_demo_online_attempts(
    session, tenant, *, customer, contact=None, now: datetime | None = None
) -> None:
    """On Café Aurora's invoices after the oldest (the receivables demo's bank transfer) and
    before the newest (its cheque): a declined card on the second, a partly refunded payment on
    the third, a paid one on the fourth and a disputed one on the fifth."""
    from billing.models import Invoice
    from billing.online_models import OnlinePayment

    now = now or utcnow()
    if session.scalar(select(OnlinePayment.id).limit(1)):
        return
    invoices = list(
        session.scalars(
            select(Invoice)
            .where(Invoice.customer_id == customer.id, Invoice.voided_at.is_(None))
            .order_by(Invoice.issue_date, Invoice.sequence)
        )
    )
    if len(invoices) < 6:
        return
    declined, refunded, paid, disputed = invoices[1:5]

    def at(invoice, days: int, hour: int) -> datetime:
        when = datetime.combine(invoice.issue_date + timedelta(days=days), time(hour), tzinfo=UTC)
        return min(max(when, invoice.issued_at + timedelta(minutes=5)), now)

    def attempt(invoice, number: int, when: datetime):
        return _attempt(
            session, tenant, customer, contact, invoice, f"pi_demo_rr_{number:04d}", when
        )

    failed = attempt(declined, 1, at(declined, 6, 19))
    failed.status, failed.failure_message = "failed", "Your card was declined."
    failed.completed_at = failed.created_at

    # Paid by card; two items were missing from the delivery, refunded on Stripe later.
    part = attempt(refunded, 2, at(refunded, 4, 9))
    payment = _paid(session, tenant, part, now)
    _refund(
        session, tenant, part, payment, min(1_500, payment.amount_minor // 3), at(refunded, 6, 14)
    )

    _paid(session, tenant, attempt(paid, 3, at(paid, 2, 8)), now)

    # Paid by card, then the card holder disputed it: Stripe holds the money until it is settled.
    contested = attempt(disputed, 4, at(disputed, 1, 21))
    _paid(session, tenant, contested, now)
    contested.dispute_status = "needs_response"
    session.flush()


def _attempt(session, tenant, customer, contact, invoice, intent: str, when: datetime):
    """The attempt as `start_checkout` stores it, with Stripe's PaymentIntent id."""
    from billing.online_models import OnlinePayment, OnlinePaymentInvoice
    from billing.online_payments import selection_key

    row = OnlinePayment(
        tenant_id=tenant.id,
        id=uuid.uuid4(),
        customer_id=customer.id,
        contact_id=getattr(contact, "id", None),
        kind="checkout",
        idempotency_key=f"demo-{intent}",
        selection_key=selection_key([invoice]),
        attempt=1,
        amount_minor=invoice.balance_minor,
        application_fee_minor=0,
        currency=tenant.currency,
        status="open",
        payment_intent_id=intent,
        created_at=when,
    )
    session.add(row)
    session.flush()
    session.add(
        OnlinePaymentInvoice(
            tenant_id=tenant.id,
            online_payment_id=row.id,
            invoice_id=invoice.id,
            amount_minor=invoice.balance_minor,
        )
    )
    session.flush()
    return row


def _paid(session, tenant, row, now: datetime):
    """Stripe took the money: recorded once, as `billing.online_events` records it."""
    from billing.online_models import OnlinePaymentInvoice
    from billing.payments import record_online_payment

    wanted = {
        link.invoice_id: link.amount_minor
        for link in session.scalars(
            select(OnlinePaymentInvoice).where(OnlinePaymentInvoice.online_payment_id == row.id)
        )
    }
    done = max(min(row.created_at + timedelta(minutes=2), now), row.created_at)
    payment = record_online_payment(
        session,
        tenant,
        customer_id=row.customer_id,
        amount_minor=row.amount_minor,
        wanted=wanted,
        payment_intent_id=row.payment_intent_id,
        received_on=bakery_today(tenant, done),
        now=done,
    )
    row.payment_id, row.status, row.completed_at = payment.id, "succeeded", done
    session.flush()
    return payment


def _refund(session, tenant, row, payment, amount: int, when: datetime) -> None:
    """A refund made on Stripe: the refunded total on the attempt, the amount off the invoice
    (as `billing.online_events.on_charge_refunded` does)."""
    from billing.payments import take_back_online

    row.refunded_minor = amount
    take_back_online(session, tenant, payment, amount, reason="Refunded on Stripe", now=when)
