"""The order lifecycle: which status may follow which, and the one way to change it.

pending_review -> confirmed -> in_production -> out_for_delivery -> delivered, or
pending_review -> rejected (with a reason the buyer sees), or cancelled while still open.
An order paid by card at checkout starts in awaiting_payment, which only its payment ends
(`tenants.orders.prepaid`: on to the first status above, or cancelled unpaid).
Every change bumps the order's version (compare-and-set, see `claim_version`) and adds a
timeline entry with the time and the actor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from config.formatting import format_date
from tenants.actors import require
from tenants.customers.models import Customer, DeliveryLocation
from tenants.errors import PermissionDenied, ValidationFailed
from tenants.orders import access, notifications
from tenants.orders.errors import OrderConflict
from tenants.orders.models import STATUSES, Order, OrderLine
from tenants.orders.timeline import event

TRANSITIONS: dict[str, frozenset[str]] = {
    # Only its payment moves it on (tenants.orders.prepaid): settled, or released unpaid.
    "awaiting_payment": frozenset(),
    "pending_review": frozenset({"confirmed", "rejected", "cancelled"}),
    "confirmed": frozenset({"in_production", "cancelled"}),
    "in_production": frozenset({"out_for_delivery"}),
    "out_for_delivery": frozenset({"delivered"}),
    "delivered": frozenset(),
    "rejected": frozenset(),
    "cancelled": frozenset(),
}
MAX_REASON_LENGTH = 1000


def next_statuses(order: Order) -> list[str]:
    """The statuses `order` may move to, in lifecycle order."""
    allowed = TRANSITIONS[order.status]
    return [s for s in STATUSES if s in allowed]


def claim_version(session, tenant, order: Order, expected_version: int, *, actor, now) -> None:
    """Move `order` from `expected_version` to the next, atomically, or raise OrderConflict
    naming who changed it since. In PostgreSQL the UPDATE also locks the row until commit, so
    of two concurrent edits exactly one saves."""
    new_version = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.version == int(expected_version))
        .values(version=Order.version + 1, updated_at=now, updated_by_name=access.actor_name(actor))
        .returning(Order.version)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if new_version is None:
        session.refresh(order)
        raise OrderConflict(
            order, order.updated_by_name, format_date(order.updated_at, tenant, with_time=True)
        )
    session.refresh(order)


def change_status(
    session,
    tenant,
    *,
    actor,
    order: Order,
    to: str,
    expected_version: int,
    reason: str = "",
    now: datetime,
) -> Order:
    """Staff move `order` to status `to` (the buyer cancels through `editing.cancel_order`)."""
    if access.is_contact(actor):
        raise PermissionDenied("You don't have permission to do that.")
    customer = session.scalar(select(Customer).where(Customer.id == order.customer_id))
    require(actor, "orders")
    access.require_active_bakery(tenant)
    if to not in TRANSITIONS.get(order.status, ()):
        raise ValidationFailed(
            f"An order that is {order.status_label.lower()} cannot become "
            f"{STATUSES.get(to, to).lower()}.",
            field="status",
        )
    reason = (reason or "").strip()
    if to == "rejected" and not reason:
        raise ValidationFailed("Say why, so the buyer knows.", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed("Keep the reason under 1000 characters.", field="reason")
    was = order.status
    claim_version(session, tenant, order, expected_version, actor=actor, now=now)
    record_status(session, tenant, order, to, actor=actor, now=now, note=reason)
    if to == "rejected":
        order.rejection_reason = reason
    session.flush()
    if was == "pending_review" and to in ("confirmed", "rejected"):
        lines = list(session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)))
        location = session.scalar(
            select(DeliveryLocation).where(DeliveryLocation.id == order.location_id)
        )
        notifications.order_decided(
            session,
            tenant,
            order=order,
            customer=customer,
            lines=sorted(lines, key=lambda line: line.position),
            location=location,
            now=now,
        )
    return order


def record_status(session, tenant, order: Order, to: str, *, actor, now, note: str = "") -> None:
    """Set the status and add its timeline entry (the caller has claimed the version)."""
    session.add(
        event(
            tenant,
            order,
            actor,
            "status",
            now,
            from_status=order.status,
            to_status=to,
            note=note[:MAX_REASON_LENGTH],
        )
    )
    order.status = to
