"""Standing-order test data: a standing order for a café made by `tests.support.orders`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from tests.support.catalog import tenant_of
from tests.support.factories import tenant_session
from tests.support.orders import customer_row


def allow_standing(app, bakery, customer_id, allowed: bool = True) -> None:
    with tenant_session(app, bakery.id) as session:
        customer_row(session, customer_id).standing_orders_allowed = allowed


def make_standing(
    app,
    bakery,
    ids: dict,
    *,
    starts_on: date,
    now: datetime,
    lines=None,
    location: str = "Main Street",
    every_weeks: int = 1,
    ends_on: date | None = None,
    name: str = "Weekly bread",
):
    """A standing order for the café `ids` (made by `make_cafe`), by the system; returns its id."""
    from tenants.orders.standing_edit import create_standing_order

    allow_standing(app, bakery, ids["id"])
    with tenant_session(app, bakery.id) as session:
        order = create_standing_order(
            session,
            tenant_of(session, bakery),
            actor=None,
            customer=customer_row(session, ids["id"]),
            location_id=ids["locations"][location],
            lines=lines if lines is not None else [(ids["bread"], 10), (ids["roll"], 12)],
            starts_on=starts_on,
            every_weeks=every_weeks,
            ends_on=ends_on,
            name=name,
            now=now,
        )
        return order.id


def standing_row(session, standing_order_id):
    from tenants.orders.standing_models import StandingOrder

    return session.scalar(select(StandingOrder).where(StandingOrder.id == standing_order_id))


def occurrence_rows(session, standing_order_id=None):
    from tenants.orders.standing_models import StandingOccurrence

    stmt = select(StandingOccurrence).order_by(StandingOccurrence.delivery_date)
    if standing_order_id is not None:
        stmt = stmt.where(StandingOccurrence.standing_order_id == standing_order_id)
    return list(session.scalars(stmt))
