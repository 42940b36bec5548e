"""Online payment attempts as the webhooks leave them, for the pages that list them.

Stripe's side (the attempt's status, failure message, dispute status, refunded total) is
written to the row as `billing.online_events` would; money that Stripe took or gave back goes
through the receivables service (`record_online_payment`, `take_back_online`) as there.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tests.support.catalog import tenant_of
from tests.support.factories import make_customer, tenant_session
from tests.support.receivables import add_invoice


def add_attempt(
    app,
    bakery,
    customer_id=None,
    invoice_ids=None,
    *,
    status: str = "failed",
    kind: str = "checkout",
    amount: int = 5_000,
    failure_message: str = "",
    dispute_status: str = "",
    refunded: int = 0,
    created_at: datetime | None = None,
    payment_intent_id: str | None = None,
):
    """One attempt of `customer_id` (a fresh customer) for `invoice_ids` (one fresh invoice of
    `amount`); returns its id."""
    from billing.online_models import OnlinePayment, OnlinePaymentInvoice
    from billing.payments import record_online_payment, take_back_online

    if customer_id is None:
        customer_id = make_customer(app, bakery, f"Online {uuid.uuid4().hex[:8]}")["id"]
    if invoice_ids is None:
        invoice_ids = [add_invoice(app, bakery, customer_id, total=amount)]
    created_at = created_at or datetime(2026, 11, 20, 10, tzinfo=UTC)
    intent = payment_intent_id or f"pi_{uuid.uuid4().hex[:16]}"
    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        attempt = OnlinePayment(
            tenant_id=bakery.id,
            id=uuid.uuid4(),
            customer_id=customer_id,
            kind=kind,
            idempotency_key=f"test-{uuid.uuid4().hex}",
            selection_key=uuid.uuid4().hex[:32],
            amount_minor=amount,
            currency=tenant.currency,
            status=status,
            payment_intent_id=intent,
            failure_message=failure_message,
            created_at=created_at,
            completed_at=None if status in ("open", "processing") else created_at,
        )
        session.add(attempt)
        session.flush()
        share = amount // len(invoice_ids)
        for index, invoice_id in enumerate(invoice_ids):
            last = index == len(invoice_ids) - 1
            session.add(
                OnlinePaymentInvoice(
                    tenant_id=bakery.id,
                    online_payment_id=attempt.id,
                    invoice_id=invoice_id,
                    amount_minor=amount - share * index if last else share,
                )
            )
        session.flush()
        if status == "succeeded":
            payment = record_online_payment(
                session,
                tenant,
                customer_id=customer_id,
                amount_minor=amount,
                wanted={i: share for i in invoice_ids[:-1]}
                | {invoice_ids[-1]: amount - share * (len(invoice_ids) - 1)},
                payment_intent_id=intent,
                received_on=created_at.date(),
                now=created_at,
            )
            attempt.payment_id = payment.id
            if refunded:
                attempt.refunded_minor = refunded
                take_back_online(
                    session, tenant, payment, refunded, reason="Refunded on Stripe", now=created_at
                )
            attempt.dispute_status = dispute_status
        else:
            assert not (refunded or dispute_status), "only a succeeded payment is refunded"
        session.flush()
        return attempt.id
