"""Packing slips: one per customer and delivery location for a date, in route order.

A slip gathers that place's counted orders (the production sheet's statuses: what was baked is
what is packed), adds up their lines per product, and names every order number, PO number and
note, with the location's delivery instructions. Stops with a route position come first, by
position; the rest follow by customer and location name.

Two statements whatever the number of orders: the orders with their customer, location and
route position, then all their lines.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select

from tenants.customers.models import Customer, DeliveryLocation
from tenants.orders.models import Order, OrderLine
from tenants.production.models import RoutePosition
from tenants.production.sheet import COUNTED_STATUSES, counted_order_ids
from tenants.scoping import check_bound


@dataclass
class SlipLine:
    sku: str
    name: str
    unit: str
    quantity: int


@dataclass
class PackingSlip:
    """What goes to one customer's location on the day."""

    customer_name: str
    location_name: str
    address: str
    instructions: str
    position: int | None
    order_numbers: list[int] = field(default_factory=list)
    po_numbers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: list[SlipLine] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(line.quantity for line in self.lines)


def packing_slips(session, tenant, *, day: date) -> list[PackingSlip]:
    """The day's slips in delivery order."""
    check_bound(session, tenant)
    # Plain columns, not ORM objects: a day has thousands of orders and lines, and building
    # an object per row cost more than the queries.
    rows = session.execute(
        select(
            Order.id,
            Order.number,
            Order.po_number,
            Order.notes,
            Customer.id,
            Customer.trading_name,
            Customer.business_name,
            DeliveryLocation.id,
            DeliveryLocation.name,
            DeliveryLocation.address,
            DeliveryLocation.delivery_instructions,
            RoutePosition.position,
        )
        .join(
            Customer,
            and_(Customer.tenant_id == Order.tenant_id, Customer.id == Order.customer_id),
        )
        .join(
            DeliveryLocation,
            and_(
                DeliveryLocation.tenant_id == Order.tenant_id,
                DeliveryLocation.id == Order.location_id,
            ),
        )
        .outerjoin(
            RoutePosition,
            and_(
                RoutePosition.tenant_id == Order.tenant_id,
                RoutePosition.location_id == Order.location_id,
            ),
        )
        .where(Order.delivery_date == day, Order.status.in_(COUNTED_STATUSES))
        .order_by(Order.number)
    ).all()
    slips: dict[tuple[uuid.UUID, uuid.UUID], PackingSlip] = {}
    orders: dict[uuid.UUID, tuple[PackingSlip, int]] = {}
    for (
        order_id,
        number,
        po_number,
        notes,
        customer_id,
        trading_name,
        business_name,
        location_id,
        location_name,
        address,
        instructions,
        position,
    ) in rows:
        slip = slips.get((customer_id, location_id))
        if slip is None:
            slip = slips[(customer_id, location_id)] = PackingSlip(
                customer_name=trading_name or business_name,
                location_name=location_name,
                address=address,
                instructions=instructions,
                position=position,
            )
        slip.order_numbers.append(number)
        if po_number:
            slip.po_numbers.append(po_number)
        if notes:
            slip.notes.append(notes)
        orders[order_id] = (slip, number)
    _add_lines(session, day, orders)
    return sorted(
        slips.values(),
        key=lambda s: (
            s.position is None,
            s.position or 0,
            s.customer_name.casefold(),
            s.location_name.casefold(),
        ),
    )


def _add_lines(session, day: date, orders: dict) -> None:
    """Each slip's products, added up over its orders, in order number then line order."""
    if not orders:
        return
    rows = session.execute(
        select(
            OrderLine.order_id,
            OrderLine.position,
            OrderLine.product_id,
            OrderLine.sku,
            OrderLine.product_name,
            OrderLine.unit,
            OrderLine.quantity,
        ).where(OrderLine.order_id.in_(counted_order_ids(day)))
    ).all()
    # An order whose status changed between the two statements is not on a slip: skip it.
    known = [row for row in rows if row[0] in orders]
    known.sort(key=lambda row: (orders[row[0]][1], row[1]))
    by_product: dict[tuple[int, uuid.UUID], SlipLine] = {}
    for order_id, _, product_id, sku, name, unit, quantity in known:
        slip = orders[order_id][0]
        key = (id(slip), product_id)
        if key in by_product:
            by_product[key].quantity += quantity
        else:
            by_product[key] = SlipLine(sku, name, unit, quantity)
            slip.lines.append(by_product[key])
