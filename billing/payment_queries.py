"""Reading payments for the back office's pages, each in a constant number of statements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from billing.models import Invoice
from billing.receivables_models import Payment, PaymentAllocation
from tenants.customers.models import Customer

PAGE_SIZE = 50


@dataclass(frozen=True)
class PaymentRow:
    payment: Payment
    customer_name: str
    invoice_numbers: list[str]


@dataclass(frozen=True)
class PaymentsPage:
    rows: list[PaymentRow]
    page: int
    pages: int
    total: int


def payments_page(session, *, page: int = 1, customer_id=None) -> PaymentsPage:
    """The bakery's payments, newest first, a page at a time, with the invoices each paid:
    three statements (the count, the page, its allocations) however long the page."""
    where = [] if customer_id is None else [Payment.customer_id == customer_id]
    total = session.scalar(select(func.count()).select_from(Payment).where(*where)) or 0
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    found = session.execute(
        select(Payment, Customer.business_name, Customer.trading_name)
        .join(Customer, Customer.id == Payment.customer_id)
        .where(*where)
        .order_by(Payment.received_on.desc(), Payment.recorded_at.desc(), Payment.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    numbers: dict = {p.id: [] for p, _, _ in found}
    if numbers:
        for payment_id, number in session.execute(
            select(PaymentAllocation.payment_id, Invoice.number)
            .join(Invoice, Invoice.id == PaymentAllocation.invoice_id)
            .where(PaymentAllocation.payment_id.in_(list(numbers)))
            .order_by(Invoice.sequence)
        ):
            numbers[payment_id].append(number)
    rows = [PaymentRow(p, trading or name, numbers[p.id]) for p, name, trading in found]
    return PaymentsPage(rows=rows, page=page, pages=pages, total=total)
