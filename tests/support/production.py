"""Test data for the bakery's day: orders written straight to the tables for any date and
status (the sheet reads what is stored; placement has its own tests), categories, products.

`add_day_order` takes a bakery's next order number through the real numbering service, so
numbers are what the product would hand out.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from config.clock import utcnow
from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session


def add_day_order(
    app,
    bakery,
    *,
    customer_id,
    location_id,
    day: date,
    lines: list[tuple],
    status: str = "confirmed",
    at: datetime | None = None,
    po_number: str = "",
    notes: str = "",
) -> dict:
    """An order of `customer_id` for delivery on `day` with `lines` [(product_id, quantity)];
    returns {"id", "number"}."""
    with tenant_session(app, bakery.id) as session:
        return write_order(
            session,
            tenant_of(session, bakery),
            customer_id=customer_id,
            location_id=location_id,
            day=day,
            lines=lines,
            status=status,
            at=at,
            po_number=po_number,
            notes=notes,
        )


def write_order(
    session, tenant, *, customer_id, location_id, day, lines, status="confirmed", at=None, **extra
) -> dict:
    """`add_day_order` inside an open session (benchmarks build thousands this way)."""
    from sqlalchemy import select

    from tenants.catalog.models import Product
    from tenants.orders.models import Order, OrderLine
    from tenants.orders.numbering import next_order_number

    at = at or utcnow()
    order = Order(
        tenant_id=tenant.id,
        number=next_order_number(session, tenant, now=at),
        customer_id=customer_id,
        location_id=location_id,
        source="staff",
        status=status,
        delivery_date=day,
        currency=tenant.currency,
        placed_at=at,
        updated_at=at,
        **extra,
    )
    session.add(order)
    session.flush()
    ids = [product_id for product_id, _ in lines]
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
    total = 0
    for position, (product_id, quantity) in enumerate(lines):
        line_total = 100 * quantity
        total += line_total
        session.add(
            OrderLine(
                tenant_id=tenant.id,
                order_id=order.id,
                product_id=product_id,
                position=position,
                sku=products[product_id].sku,
                product_name=products[product_id].name,
                unit=products[product_id].unit,
                quantity=quantity,
                base_price_minor=100,
                unit_price_minor=100,
                line_total_minor=line_total,
                price_rule="base",
                tax_rate=Decimal("0"),
                tax_minor=0,
            )
        )
    order.subtotal_minor = order.total_minor = total
    # The timeline's "placed" entry, as placement writes it (the sheet's "changed since you
    # printed" flag reads the timeline).
    session.add(_event(tenant, order, "placed", at))
    session.flush()
    return {"id": order.id, "number": order.number}


def set_day_order_status(app, bakery, order_id, status: str, *, at: datetime) -> None:
    """Move a test order to `status` at `at`, with its timeline entry, as the states service
    records one (whose own rules have their own tests)."""
    from sqlalchemy import select

    from tenants.orders.models import Order

    with tenant_session(app, bakery.id) as session:
        order = session.scalar(select(Order).where(Order.id == order_id))
        session.add(
            _event(
                tenant_of(session, bakery),
                order,
                "status",
                at,
                from_status=order.status,
                to_status=status,
            )
        )
        order.status, order.updated_at = status, at
        order.version += 1


def _event(tenant, order, kind: str, at: datetime, **fields):
    from tenants.orders.timeline import event

    return event(tenant, order, None, kind, at, **fields)
