"""Demo receivables: Café Aurora has paid, part-paid and overdue invoices, a reminder sent for
each overdue one, and credit on account from rounding up a bank transfer.

It builds on the demo invoices (one per delivered order, oldest first) and goes through the
services a bakery uses (`record_payment`, `send_due_reminders`) with clocks in the past where a
payment came in earlier. Runs once: a bakery with payments is left as it is.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from config.clock import bakery_today, utcnow


def seed_demo_receivables(
    session, tenant, *, customer, now: datetime | None = None, remind: bool = True
) -> bool:
    """Pay the oldest invoice (with 10.00 over, kept as credit), pay half of the newest, and
    (unless `remind` is off, for a caller that sends them after more payments of its own)
    send the reminders due today for what is still owed. True when it seeded anything."""
    from billing.models import Invoice
    from billing.payments import record_payment
    from billing.receivables_models import Payment

    now = now or utcnow()
    if session.scalar(select(Payment.id).limit(1)):
        return False
    invoices = list(
        session.scalars(
            select(Invoice)
            .where(Invoice.customer_id == customer.id, Invoice.voided_at.is_(None))
            .order_by(Invoice.issue_date, Invoice.sequence)
        )
    )
    today = bakery_today(tenant, now)

    def received(invoice, days):
        day = min(invoice.issue_date + timedelta(days=days), today)
        return day, max(datetime.combine(day, time(11, 0), tzinfo=UTC), invoice.issued_at)

    if invoices:
        paid = invoices[0]
        day, at = received(paid, 9)
        record_payment(
            session,
            tenant,
            actor=None,
            customer=customer,
            method="bank_transfer",
            amount_minor=paid.balance_minor + 1_000,
            received_on=day,
            reference=f"AURORA {paid.number}",
            allocations={paid.id: paid.balance_minor},
            now=min(at, now),
        )
    if len(invoices) >= 2:
        part = invoices[-1]
        day, at = received(part, 2)
        record_payment(
            session,
            tenant,
            actor=None,
            customer=customer,
            method="cheque",
            amount_minor=part.balance_minor // 2,
            received_on=day,
            reference="Cheque 000184",
            allocations={part.id: part.balance_minor // 2},
            now=min(at, now),
        )
    if remind:
        send_demo_reminders(session, tenant, now=now)
    session.flush()
    return True


def send_demo_reminders(session, tenant, *, now: datetime | None = None) -> None:
    """Today's reminders for whatever is overdue or coming due (captured mail in the demo)."""
    from billing.dunning import send_due_reminders

    send_due_reminders(session, tenant, now=now or utcnow())
    session.flush()
