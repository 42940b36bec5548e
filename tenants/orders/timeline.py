"""An order's timeline: every change with its time and actor, oldest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select

from tenants.orders import access
from tenants.orders.models import Order, OrderEvent

KINDS = {
    "placed": "Placed",
    "status": "Status changed",
    "edited": "Changed",
    "cutoff_override": "Taken past the cut-off",
    "note": "Note",
    "message": "Message to the bakery",
}


def event(tenant, order: Order, actor, kind: str, now: datetime, **fields) -> OrderEvent:
    """A timeline entry for `order` by `actor` (a contact, staff, or None for the system)."""
    return OrderEvent(
        tenant_id=tenant.id,
        order_id=order.id,
        at=now,
        kind=kind,
        actor_kind=access.actor_kind(actor),
        actor_id=getattr(actor, "id", None),
        actor_name=access.actor_name(actor)[:200],
        **fields,
    )


def order_timeline(session, order: Order) -> list[OrderEvent]:
    """The order's entries, oldest first; of entries made at once, "placed" leads."""
    return list(
        session.scalars(
            select(OrderEvent)
            .where(OrderEvent.order_id == order.id)
            .order_by(OrderEvent.at, case((OrderEvent.kind == "placed", 0), else_=1))
        )
    )
