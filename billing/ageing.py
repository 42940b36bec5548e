"""Receivables ageing: what each customer owes, by how long past due, on the bakery's today.

Buckets by days past the due date: current (not yet due, or due today), 1-30, 31-60, 61-90 and
over 90. The sums are worked out in SQL with the bucket edges as dates (portable between
PostgreSQL and SQLite, and one statement however many invoices), the credit on account in a
second, and the customers' names in a third: three statements for any number of customers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, func, select

from billing.models import Invoice
from billing.receivables_models import Payment
from tenants.customers.models import Customer

BUCKETS = {
    "current": "Current",
    "1_30": "1-30 days",
    "31_60": "31-60 days",
    "61_90": "61-90 days",
    "over_90": "Over 90 days",
}


def bucket_for(days_past_due: int) -> str:
    """The bucket of an invoice `days_past_due` days past its due date (0 or less: current)."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1_30"
    if days_past_due <= 60:
        return "31_60"
    if days_past_due <= 90:
        return "61_90"
    return "over_90"


@dataclass
class AgeingRow:
    """One customer's open balances by bucket, and their credit on account."""

    customer_id: uuid.UUID
    name: str
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    credit_minor: int = 0
    invoices: int = 0

    @property
    def total_minor(self) -> int:
        return sum(self.buckets.values())

    @property
    def overdue_minor(self) -> int:
        return self.total_minor - self.buckets["current"]

    @property
    def net_minor(self) -> int:
        return self.total_minor - self.credit_minor


@dataclass
class Ageing:
    """The ageing table on `as_of`: rows by customer name, and the totals row."""

    as_of: date
    rows: list[AgeingRow]
    totals: AgeingRow


def _bucket_sums(today: date):
    balance = Invoice.total_minor - Invoice.credited_minor - Invoice.paid_minor
    edges = {
        "current": Invoice.due_date >= today,
        "1_30": Invoice.due_date >= today - timedelta(days=30),
        "31_60": Invoice.due_date >= today - timedelta(days=60),
        "61_90": Invoice.due_date >= today - timedelta(days=90),
    }
    # The CASE takes the first edge that holds, so each invoice lands in one bucket.
    which = case(*((cond, name) for name, cond in edges.items()), else_="over_90")
    return balance, which


def ageing(session, *, today: date, customer_id=None) -> Ageing:
    """Every customer owing money or holding credit (or just `customer_id`), on `today`."""
    balance, which = _bucket_sums(today)
    invoice_filter = [Invoice.voided_at.is_(None), balance > 0]
    credit_filter = [Payment.voided_at.is_(None), Payment.amount_minor > Payment.allocated_minor]
    if customer_id is not None:
        invoice_filter.append(Invoice.customer_id == customer_id)
        credit_filter.append(Payment.customer_id == customer_id)
    sums = session.execute(
        select(Invoice.customer_id, which, func.sum(balance), func.count())
        .where(*invoice_filter)
        .group_by(Invoice.customer_id, which)
    ).all()
    credits = session.execute(
        select(Payment.customer_id, func.sum(Payment.amount_minor - Payment.allocated_minor))
        .where(*credit_filter)
        .group_by(Payment.customer_id)
    ).all()
    ids = {row[0] for row in sums} | {row[0] for row in credits}
    names = {}
    if ids:
        names = {
            cid: (trading or name)
            for cid, name, trading in session.execute(
                select(Customer.id, Customer.business_name, Customer.trading_name).where(
                    Customer.id.in_(ids)
                )
            )
        }
    rows = {cid: AgeingRow(cid, names.get(cid, "")) for cid in ids}
    for cid, bucket, amount, count in sums:
        rows[cid].buckets[bucket] += int(amount)
        rows[cid].invoices += int(count)
    for cid, amount in credits:
        rows[cid].credit_minor = int(amount)
    totals = AgeingRow(uuid.UUID(int=0), "Total")
    for row in rows.values():
        for name, amount in row.buckets.items():
            totals.buckets[name] += amount
        totals.credit_minor += row.credit_minor
        totals.invoices += row.invoices
    ordered = sorted(rows.values(), key=lambda r: (-r.overdue_minor, -r.total_minor, r.name))
    return Ageing(as_of=today, rows=ordered, totals=totals)


def customer_balance(session, customer_id, *, today: date) -> AgeingRow:
    """One customer's row (all zero when they owe nothing), for the customer page."""
    found = ageing(session, today=today, customer_id=customer_id).rows
    return found[0] if found else AgeingRow(customer_id, "")
