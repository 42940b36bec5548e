"""Reading what was delivered: each order's lines less shorts and returns, plus substitutes.

Billing makes invoice lines from `delivered_lines`; the buyer's and staff's order pages show
`adjustments_of` beside the ordered quantities. Recording adjustments is billing's service
(`billing.delivery`), because an order on a live invoice may no longer change.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from tenants.orders.delivery_models import KINDS, DeliveryAdjustment
from tenants.orders.models import Order, OrderLine


@dataclass(frozen=True)
class DeliveredLine:
    """One line as delivered: `quantity_ordered` of it ordered, `quantity` delivered and kept."""

    order_id: uuid.UUID
    order_line_id: uuid.UUID | None
    sku: str
    name: str
    unit: str
    quantity_ordered: int
    quantity: int
    base_price_minor: int
    unit_price_minor: int
    tax_rate: Decimal
    note: str


def adjustments_of(session, order_ids: Iterable) -> dict[uuid.UUID, list[DeliveryAdjustment]]:
    """{order id: its adjustments in the order recorded}, in one query."""
    ids = list(order_ids)
    found: dict[uuid.UUID, list[DeliveryAdjustment]] = defaultdict(list)
    if not ids:
        return found
    rows = session.scalars(
        select(DeliveryAdjustment)
        .where(DeliveryAdjustment.order_id.in_(ids))
        .order_by(DeliveryAdjustment.recorded_at, DeliveryAdjustment.id)
    )
    for row in rows:
        found[row.order_id].append(row)
    return found


def _note(taken: dict[str, int], ordered: int, delivered: int) -> str:
    parts = [f"{KINDS[kind].lower()} {qty}" for kind, qty in taken.items() if qty]
    if not parts:
        return ""
    return f"ordered {ordered}, delivered {delivered} ({', '.join(parts)})"


def delivered_lines(session, orders: list[Order]) -> dict[uuid.UUID, list[DeliveredLine]]:
    """{order id: its delivered lines}: two queries for any number of orders. A line wholly
    short or returned stays with quantity 0, so the invoice shows what was not delivered."""
    ids = [order.id for order in orders]
    result: dict[uuid.UUID, list[DeliveredLine]] = {order_id: [] for order_id in ids}
    if not ids:
        return result
    # Columns, not entities: a month-end run reads tens of thousands of lines at once.
    lines = session.execute(
        select(
            OrderLine.id,
            OrderLine.order_id,
            OrderLine.sku,
            OrderLine.product_name,
            OrderLine.unit,
            OrderLine.quantity,
            OrderLine.base_price_minor,
            OrderLine.unit_price_minor,
            OrderLine.tax_rate,
        )
        .where(OrderLine.order_id.in_(ids))
        .order_by(OrderLine.order_id, OrderLine.position)
    )
    adjustments = adjustments_of(session, ids)
    taken: dict[uuid.UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rows in adjustments.values():
        for row in rows:
            if row.kind in ("short", "return") and row.order_line_id is not None:
                taken[row.order_line_id][row.kind] += row.quantity
    for line in lines:
        minus = taken.get(line.id, {})
        delivered = max(0, line.quantity - sum(minus.values()))
        result[line.order_id].append(
            DeliveredLine(
                order_id=line.order_id,
                order_line_id=line.id,
                sku=line.sku,
                name=line.product_name,
                unit=line.unit,
                quantity_ordered=line.quantity,
                quantity=delivered,
                base_price_minor=line.base_price_minor,
                unit_price_minor=line.unit_price_minor,
                tax_rate=line.tax_rate,
                note=_note(minus, line.quantity, delivered),
            )
        )
    for order_id, rows in adjustments.items():
        for row in rows:
            if row.kind == "substitution":
                result[order_id].append(
                    DeliveredLine(
                        order_id=order_id,
                        order_line_id=None,
                        sku=row.sku,
                        name=row.product_name,
                        unit=row.unit,
                        quantity_ordered=0,
                        quantity=row.quantity,
                        base_price_minor=row.base_price_minor,
                        unit_price_minor=row.unit_price_minor,
                        tax_rate=row.tax_rate,
                        note=f"substitute{': ' + row.reason if row.reason else ''}",
                    )
                )
    return result


def delivered_orders(session, *, customer_id=None, start=None, end=None, exclude=None):
    """Delivered orders (optionally one customer's, delivered `start`..`end`), oldest first;
    `exclude` is a subquery of order ids to leave out (those already invoiced)."""
    stmt = select(Order).where(Order.status == "delivered")
    if customer_id is not None:
        stmt = stmt.where(Order.customer_id == customer_id)
    if start is not None:
        stmt = stmt.where(Order.delivery_date >= start)
    if end is not None:
        stmt = stmt.where(Order.delivery_date <= end)
    if exclude is not None:
        stmt = stmt.where(Order.id.not_in(exclude))
    return list(session.scalars(stmt.order_by(Order.delivery_date, Order.number)))
