"""The staff list of standing orders: every standing order with its next delivery, in a constant
number of queries whatever the count (the list-page statement test checks it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tenants.customers.models import Customer
from tenants.orders.standing import coming_occurrences
from tenants.orders.standing_models import StandingOrder


def staff_rows(session, tenant, *, now: datetime) -> list[tuple]:
    """[(StandingOrder, its next occurrence still to come or None)], by customer then start."""
    orders = list(session.scalars(select(StandingOrder).order_by(StandingOrder.starts_on)))
    coming = coming_occurrences(session, tenant, now=now, orders=orders)
    nxt: dict = {}
    for occ in coming:
        if occ.state in ("open", "due", "skipped", "paused", "closed", "needs_attention"):
            nxt.setdefault(occ.standing_order_id, occ)
    return [(order, nxt.get(order.id)) for order in orders]


def customer_names(session, customer_ids) -> dict:
    """{customer id: display name} in one query."""
    ids = list(set(customer_ids))
    if not ids:
        return {}
    return {
        c.id: c.display_name for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))
    }
