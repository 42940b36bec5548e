"""Receivables test data: issued invoices written straight to the table (the invoicing rules are
tested with the invoicing code; payments, dunning and ageing need only an invoice with a
total, a due date and lines), and payments recorded through the real service."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import make_customer, tenant_session


def add_invoice(
    app,
    bakery,
    customer_id=None,
    *,
    total: int = 10_000,
    issue_date: date | None = None,
    due_date: date | None = None,
    lines: list[tuple[str, int, int, Decimal]] | None = None,
    location_id=None,
    placed_by_contact_id=None,
    voided: bool = False,
    bill_to_email: str = "",
    bill_to_address: str = "",
    number: str | None = None,
):
    """An issued invoice of `customer_id` (a fresh customer when None); returns its id.

    `lines` are (description, quantity, unit price, tax rate %); without them the invoice has
    one tax-free line of `total`.
    """
    from billing.models import Invoice, InvoiceLine
    from billing.numbering import next_sequence

    if customer_id is None:
        customer_id = make_customer(app, bakery, f"I {uuid.uuid4().hex[:8]}")["id"]
    issue_date = issue_date or date(2026, 11, 2)
    due_date = due_date or issue_date + timedelta(days=14)
    if lines is None:
        lines = [("Bread and pastries", 1, total, Decimal("0"))]
    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        # The bakery's own counter, so invoices issued by the invoicing code never collide.
        sequence = next_sequence(
            session,
            tenant,
            series="invoice",
            year=issue_date.year,
            now=datetime.combine(issue_date, datetime.min.time(), tzinfo=UTC),
        )
        subtotal = sum(q * p for _, q, p, _ in lines)
        taxes = [
            int((Decimal(q * p) * rate / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
            for _, q, p, rate in lines
        ]
        invoice = Invoice(
            tenant_id=bakery.id,
            number=number or f"INV-{issue_date.year}-{sequence:04d}",
            sequence=sequence,
            customer_id=customer_id,
            location_id=location_id,
            placed_by_contact_id=placed_by_contact_id,
            mode="per_delivered_order",
            currency=tenant.currency,
            subtotal_minor=subtotal,
            tax_minor=sum(taxes),
            total_minor=subtotal + sum(taxes),
            payment_terms="net_14",
            issued_at=datetime.combine(issue_date, datetime.min.time(), tzinfo=UTC),
            issue_date=issue_date,
            due_date=due_date,
            bill_to_name="Bill To " + str(customer_id)[:4],
            bill_to_email=bill_to_email,
            bill_to_address=bill_to_address,
            voided_at=datetime.combine(issue_date, datetime.min.time(), tzinfo=UTC)
            if voided
            else None,
        )
        session.add(invoice)
        session.flush()
        for position, ((description, qty, price, rate), tax) in enumerate(
            zip(lines, taxes, strict=True), start=1
        ):
            session.add(
                InvoiceLine(
                    tenant_id=bakery.id,
                    invoice_id=invoice.id,
                    position=position,
                    sku=f"SKU-{position}",
                    description=description,
                    unit="each",
                    quantity_ordered=qty,
                    quantity=qty,
                    base_price_minor=price,
                    unit_price_minor=price,
                    line_total_minor=qty * price,
                    tax_rate=rate,
                    tax_minor=tax,
                )
            )
        return invoice.id


def invoice_row(session, invoice_id):
    from billing.models import Invoice

    return session.scalar(
        select(Invoice).where(Invoice.id == invoice_id).execution_options(populate_existing=True)
    )


def record(app, bakery, customer_id, amount: int, *, allocations=None, on=None, method="cash"):
    """A payment recorded by the system through `record_payment`; returns its id."""
    from billing.payments import record_payment
    from tests.support.orders import customer_row

    on = on or date(2026, 11, 20)
    with tenant_session(app, bakery.id) as session:
        recorded = record_payment(
            session,
            tenant_of(session, bakery),
            actor=None,
            customer=customer_row(session, customer_id),
            method=method,
            amount_minor=amount,
            received_on=on,
            allocations=allocations,
            now=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
        )
        return recorded.payment.id


def add_payment(app, bakery):
    """A payment of a fresh customer with one invoice (the isolation test's factory)."""
    customer_id = make_customer(app, bakery, f"Pay {uuid.uuid4().hex[:8]}")["id"]
    add_invoice(app, bakery, customer_id, total=5_000)
    return record(app, bakery, customer_id, 3_000)
