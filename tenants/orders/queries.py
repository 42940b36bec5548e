"""Reading orders: one by id for a contact or for staff, and a contact's history, scoped by the
contact's access level (individual, location, organization) in every query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tenants.customers import permissions
from tenants.customers.models import DeliveryLocation
from tenants.lookup import get_by_id
from tenants.orders.models import STATUSES, Order, OrderLine

PER_PAGE = 25


def get_order(session, order_id) -> Order:
    """The bound bakery's order (for staff); NotFound for a bad, unknown or foreign id."""
    return get_by_id(session, Order, order_id, missing="No such order.")


def get_order_for_contact(session, contact, order_id) -> Order:
    """An order `contact` may see; another customer's, another location's (for a location-level
    contact) or another bakery's answers NotFound, exactly like one that does not exist."""
    scope = permissions.visible_order_filter(contact)
    return get_by_id(
        session, Order, order_id, missing="No such order.", where=scope.criteria(Order)
    )


def order_lines(session, order: Order) -> list[OrderLine]:
    return list(
        session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
        )
    )


def order_location(session, order: Order) -> DeliveryLocation | None:
    return session.scalar(select(DeliveryLocation).where(DeliveryLocation.id == order.location_id))


@dataclass(frozen=True)
class OrderRow:
    order: Order
    location_name: str


@dataclass(frozen=True)
class OrderPage:
    rows: list[OrderRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def contact_orders(
    session,
    contact,
    *,
    status: str | None = None,
    delivery_from: date | None = None,
    delivery_until: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> OrderPage:
    """The orders `contact` may see, newest delivery first: two queries whatever the size."""
    criteria = permissions.visible_order_filter(contact).criteria(Order)
    if status in STATUSES:
        criteria.append(Order.status == status)
    if delivery_from:
        criteria.append(Order.delivery_date >= delivery_from)
    if delivery_until:
        criteria.append(Order.delivery_date <= delivery_until)
    total = session.scalar(select(func.count()).select_from(Order).where(*criteria))
    page = max(1, page)
    rows = session.execute(
        select(Order, DeliveryLocation.name)
        .join(
            DeliveryLocation,
            (DeliveryLocation.tenant_id == Order.tenant_id)
            & (DeliveryLocation.id == Order.location_id),
        )
        .where(*criteria)
        .order_by(Order.delivery_date.desc(), Order.number.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return OrderPage([OrderRow(o, name) for o, name in rows], total or 0, page, per_page)
