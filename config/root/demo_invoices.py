"""Demo invoices: Rosemary & Rye invoices Café Aurora per delivered order, so the lists show
issued invoices in every state the data allows without payments: an overdue one, an open one
with a credit note, an order delivered short, and a newer open one.

Payments (paid and partly paid invoices) come with the receivables work on top of these.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete, select

from config.clock import utcnow


def seed_demo_invoices(session, tenant, *, customer, now: datetime | None = None) -> None:
    """Invoice Café Aurora's delivered orders as they were delivered (once)."""
    from billing.credits import issue_credit_note
    from billing.delivery import LineDelivery, record_delivery
    from billing.invoicing import issue_invoice
    from billing.models import Invoice, InvoiceLine
    from billing.settings import update_customer_billing, update_settings
    from tenants.orders.models import Order, OrderLine
    from tenants.outbox import OutboundEmail

    now = now or utcnow()
    if session.scalar(select(Invoice.id).limit(1)):
        return
    queued_before = set(session.scalars(select(OutboundEmail.id)))
    update_settings(
        session,
        tenant,
        actor=None,
        invoicing_mode="per_delivered_order",
        invoice_prefix="RR-",
        credit_note_prefix="RR-CN-",
        yearly_reset=True,
        tax_number="GB 123 4567 89",
        bank_details="Rosemary & Rye Ltd · Sort code 12-34-56 · Account 12345678",
        payment_instructions="Please quote the invoice number as the payment reference.",
    )
    update_customer_billing(
        session,
        tenant,
        actor=None,
        customer=customer,
        invoicing_mode="",
        billing_address="Café Aurora Ltd\nAccounts\n12 Old Town Square\nBristol BS1 4QA",
    )
    delivered = list(
        session.scalars(
            select(Order)
            .where(Order.customer_id == customer.id, Order.status == "delivered")
            .order_by(Order.delivery_date)
        )
    )
    invoices = []
    for index, order in enumerate(delivered):
        if index == 2:
            # The third delivery came two short of its first line: billed as delivered.
            first = session.scalar(
                select(OrderLine)
                .where(OrderLine.order_id == order.id)
                .order_by(OrderLine.position)
                .limit(1)
            )
            record_delivery(
                session,
                tenant,
                actor=None,
                order=order,
                customer=customer,
                lines=[LineDelivery(first.id, max(0, first.quantity - 2), 0, "Oven fault")],
                now=now,
            )
        issued = datetime.combine(order.delivery_date, time(18, 0), tzinfo=now.tzinfo)
        invoices.append(
            issue_invoice(
                session,
                tenant,
                customer=customer,
                orders=[order],
                mode="per_delivered_order",
                order_key=order,
                now=min(issued, now),
            )
        )
    if len(invoices) >= 2:
        # A crushed tray on the second delivery, credited a few days later.
        target = invoices[1]
        line = session.scalar(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id == target.id)
            .order_by(InvoiceLine.position)
            .limit(1)
        )
        issue_credit_note(
            session,
            tenant,
            actor=None,
            invoice=target,
            quantities={line.id: min(2, line.quantity)},
            reason="Two arrived crushed",
            now=min(target.issued_at + timedelta(days=2), now),
        )
    # The emails of invoices "issued weeks ago" would all go out at once: drop them.
    stmt = delete(OutboundEmail).where(
        OutboundEmail.template.in_(("invoice_issued", "credit_note_issued"))
    )
    if queued_before:
        stmt = stmt.where(OutboundEmail.id.not_in(queued_before))
    session.execute(stmt.execution_options(synchronize_session=False))
    session.flush()
