"""Recording what was delivered on an order (shorts, returns, substitutions), before invoicing.

It lives in billing, not in tenants/orders, because the rule that matters is billing's: an
order on a live invoice no longer changes (corrections are credit notes). Each save replaces
the order's adjustments with the form's state, so saving twice records once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select

from billing.errors import InvoiceLocked
from billing.models import InvoiceOrder
from config.clock import utcnow
from tenants.actors import as_actor, require
from tenants.catalog.quotes import price_cart
from tenants.errors import ValidationFailed
from tenants.orders.delivery_models import DeliveryAdjustment
from tenants.orders.models import Order, OrderLine
from tenants.orders.pricing import orderable_products

RECORDABLE = ("confirmed", "in_production", "out_for_delivery", "delivered")


@dataclass(frozen=True)
class LineDelivery:
    """For one order line: how many were delivered, and how many of those came back."""

    order_line_id: uuid.UUID
    delivered: int
    returned: int = 0
    reason: str = ""


@dataclass(frozen=True)
class Substitution:
    """`quantity` of `product_id` delivered instead (optionally of `replaces_line_id`)."""

    product_id: uuid.UUID
    quantity: int
    replaces_line_id: uuid.UUID | None = None
    reason: str = ""


def on_live_invoice(session, order: Order) -> bool:
    """Whether `order` is on an invoice that is not void."""
    return (
        session.scalar(
            select(InvoiceOrder.id).where(
                InvoiceOrder.order_id == order.id, InvoiceOrder.released.is_(False)
            )
        )
        is not None
    )


def record_delivery(
    session,
    tenant,
    *,
    actor,
    order: Order,
    customer,
    lines: list[LineDelivery],
    substitutions: list[Substitution] = (),
    now: datetime | None = None,
) -> list[DeliveryAdjustment]:
    """Replace `order`'s delivery adjustments with `lines` and `substitutions`; flushes.

    Staff with `orders`; refused for an order on a live invoice or not (yet) on its way.
    Substitutes are priced for the customer by the catalog's engine on the delivery date.
    """
    require(actor, "orders", message="You don't have permission to change orders.")
    now = now or utcnow()
    if order.status not in RECORDABLE:
        raise ValidationFailed("Only a confirmed or delivered order has a delivery to record.")
    if on_live_invoice(session, order):
        raise InvoiceLocked("This order is invoiced: correct it with a credit note.")
    order_lines = {
        line.id: line
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }
    rows: list[DeliveryAdjustment] = []
    name = as_actor(actor).name

    def row(**values) -> DeliveryAdjustment:
        return DeliveryAdjustment(
            tenant_id=tenant.id,
            order_id=order.id,
            recorded_at=now,
            recorded_by_name=name,
            **values,
        )

    for entry in lines:
        line = order_lines.get(entry.order_line_id)
        if line is None:
            raise ValidationFailed("That line is not on this order.", field="lines")
        field = f"delivered-{line.id}"
        if not 0 <= entry.delivered <= line.quantity:
            raise ValidationFailed(
                f"{line.product_name}: delivered is between 0 and {line.quantity}.", field=field
            )
        if not 0 <= entry.returned <= entry.delivered:
            raise ValidationFailed(
                f"{line.product_name}: returned is between 0 and {entry.delivered}.",
                field=f"returned-{line.id}",
            )
        reason = " ".join(entry.reason.split())[:200]
        if entry.delivered < line.quantity:
            rows.append(
                row(
                    order_line_id=line.id,
                    kind="short",
                    quantity=line.quantity - entry.delivered,
                    reason=reason,
                )
            )
        if entry.returned:
            rows.append(
                row(order_line_id=line.id, kind="return", quantity=entry.returned, reason=reason)
            )
    rows += _substitutions(session, tenant, order, customer, order_lines, substitutions, row)
    session.execute(
        delete(DeliveryAdjustment)
        .where(DeliveryAdjustment.order_id == order.id)
        .execution_options(synchronize_session=False)
    )
    session.add_all(rows)
    session.flush()
    return rows


def _substitutions(session, tenant, order, customer, order_lines, substitutions, row):
    wanted = [s for s in substitutions if s.quantity]
    if not wanted:
        return []
    if any(s.quantity < 0 for s in wanted):
        raise ValidationFailed("A substitute's quantity is a whole number.", field="substitute")
    products = orderable_products(session, customer, [s.product_id for s in wanted])
    if len(products) != len({s.product_id for s in wanted}):
        raise ValidationFailed("Choose a product this customer can order.", field="substitute")
    quotes = {
        q.product_id: q
        for q in price_cart(
            session,
            tenant,
            customer=customer,
            lines=[(s.product_id, s.quantity) for s in wanted],
            on=order.delivery_date,
        )
    }
    result = []
    for s in wanted:
        product, quote = products[s.product_id], quotes[s.product_id]
        if s.replaces_line_id is not None and s.replaces_line_id not in order_lines:
            raise ValidationFailed("That line is not on this order.", field="substitute")
        result.append(
            row(
                order_line_id=s.replaces_line_id,
                kind="substitution",
                quantity=s.quantity,
                product_id=product.id,
                sku=product.sku,
                product_name=product.name,
                unit=product.unit,
                base_price_minor=product.base_price_minor,
                unit_price_minor=quote.unit_price_minor,
                tax_rate=Decimal(product.tax_rate or 0),
                reason=" ".join(s.reason.split())[:200],
            )
        )
    return result
