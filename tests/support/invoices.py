"""Invoicing test data: delivered orders written directly (any date, no calendar), each in its
own committed session. Billing only reads orders, so their placement is not under test here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session


def delivered_order(
    app,
    bakery,
    *,
    customer_id,
    location_id,
    day: date,
    lines,
    status: str = "delivered",
    po_number: str = "",
    placed_by_contact_id=None,
):
    """An order of `customer_id` delivered on `day` with `lines` [(product id, qty, unit price
    or None for the base price)]; returns its id."""
    from tenants.catalog.models import Product
    from tenants.orders.models import Order, OrderLine
    from tenants.orders.numbering import next_order_number
    from tenants.orders.pricing import tax_of

    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        now = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        order = Order(
            tenant_id=tenant.id,
            number=next_order_number(session, tenant, now=now),
            customer_id=customer_id,
            location_id=location_id,
            placed_by_contact_id=placed_by_contact_id,
            source="staff",
            status=status,
            delivery_date=day,
            po_number=po_number,
            currency=tenant.currency,
            placed_at=now,
            updated_at=now,
        )
        session.add(order)
        session.flush()
        subtotal = tax = 0
        for position, (product_id, qty, price) in enumerate(lines):
            product = session.scalar(select(Product).where(Product.id == product_id))
            unit = product.base_price_minor if price is None else price
            amount = qty * unit
            line_tax = tax_of(amount, Decimal(product.tax_rate))
            subtotal, tax = subtotal + amount, tax + line_tax
            session.add(
                OrderLine(
                    tenant_id=tenant.id,
                    order_id=order.id,
                    product_id=product.id,
                    position=position,
                    sku=product.sku,
                    product_name=product.name,
                    unit=product.unit,
                    quantity=qty,
                    base_price_minor=product.base_price_minor,
                    unit_price_minor=unit,
                    line_total_minor=amount,
                    price_rule="base" if price is None else "list",
                    tax_rate=product.tax_rate,
                    tax_minor=line_tax,
                )
            )
        order.subtotal_minor, order.tax_minor = subtotal, tax
        order.total_minor = subtotal + tax
        session.flush()
        return order.id


def order_line_ids(app, bakery, order_id) -> list:
    from tenants.orders.models import OrderLine

    with tenant_session(app, bakery.id) as session:
        return list(
            session.scalars(
                select(OrderLine.id)
                .where(OrderLine.order_id == order_id)
                .order_by(OrderLine.position)
            )
        )


def set_mode(app, bakery, mode: str, **fields) -> None:
    """Save the bakery's invoicing settings with `mode` (and any other fields)."""
    from billing.settings import update_settings

    values = {
        "invoicing_mode": mode,
        "invoice_prefix": "INV-",
        "credit_note_prefix": "CN-",
        "yearly_reset": True,
        "tax_number": "",
        "bank_details": "",
        "payment_instructions": "",
    } | fields
    with tenant_session(app, bakery.id) as session:
        update_settings(session, tenant_of(session, bakery), actor=None, **values)


def add_invoice(app, bakery, *, with_credit_note: bool = False):
    """An issued invoice of a fresh customer of `bakery` (one delivered order); returns its
    id, or with `with_credit_note` the id of a credit note on it."""
    import uuid

    from billing.credits import issue_credit_note
    from billing.invoicing import issue_invoice
    from billing.models import InvoiceLine
    from tenants.orders.models import Order
    from tests.support.catalog import add_product
    from tests.support.factories import make_customer

    made = make_customer(app, bakery, f"I {uuid.uuid4().hex[:8]}")
    product = add_product(app, bakery, sku=f"I-{uuid.uuid4().hex[:8]}", name="Invoice loaf")
    order = delivered_order(
        app,
        bakery,
        customer_id=made["id"],
        location_id=next(iter(made["locations"].values())),
        day=date(2026, 12, 1),
        lines=[(product, 2, None)],
    )
    from tests.support.orders import customer_row

    with tenant_session(app, bakery.id) as session:
        tenant = tenant_of(session, bakery)
        invoice = issue_invoice(
            session,
            tenant,
            customer=customer_row(session, made["id"]),
            orders=[session.scalar(select(Order).where(Order.id == order))],
            mode="on_demand",
        )
        if not with_credit_note:
            return invoice.id
        line = session.scalar(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
        return issue_credit_note(
            session, tenant, actor=None, invoice=invoice, quantities={line.id: 1}, reason="Test"
        ).id
