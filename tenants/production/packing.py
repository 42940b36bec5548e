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
from tenants.production.sheet import COUNTED_STATUSES
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
    rows = session.execute(
        select(Order, Customer, DeliveryLocation, RoutePosition.position)
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
    slip_of_order: dict[uuid.UUID, PackingSlip] = {}
    for order, customer, location, position in rows:
        key = (customer.id, location.id)
        slip = slips.get(key)
        if slip is None:
            slip = slips[key] = PackingSlip(
                customer_name=customer.display_name,
                location_name=location.name,
                address=location.address,
                instructions=location.delivery_instructions,
                position=position,
            )
        slip.order_numbers.append(order.number)
        if order.po_number:
            slip.po_numbers.append(order.po_number)
        if order.notes:
            slip.notes.append(order.notes)
        slip_of_order[order.id] = slip
    _add_lines(session, day, slip_of_order)
    return sorted(
        slips.values(),
        key=lambda s: (
            s.position is None,
            s.position or 0,
            s.customer_name.casefold(),
            s.location_name.casefold(),
        ),
    )


def _add_lines(session, day: date, slip_of_order: dict) -> None:
    if not slip_of_order:
        return
    lines = session.scalars(
        select(OrderLine)
        .join(Order, and_(Order.tenant_id == OrderLine.tenant_id, Order.id == OrderLine.order_id))
        .where(Order.delivery_date == day, Order.status.in_(COUNTED_STATUSES))
        .order_by(Order.number, OrderLine.position)
    )
    by_product: dict[tuple[int, uuid.UUID], SlipLine] = {}
    for line in lines:
        slip = slip_of_order.get(line.order_id)
        if slip is None:
            continue  # changed status between the two statements: the slip lists its orders
        key = (id(slip), line.product_id)
        if key in by_product:
            by_product[key].quantity += line.quantity
        else:
            by_product[key] = SlipLine(line.sku, line.product_name, line.unit, line.quantity)
            slip.lines.append(by_product[key])
