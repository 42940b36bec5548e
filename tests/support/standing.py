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


def add_standing(app, bakery, customer_id=None):
    """A weekly standing order of a fresh customer (or `customer_id`'s, at its first location)
    starting on the next Tuesday after the bakery's today; returns its id."""
    import uuid
    from datetime import timedelta

    from config.clock import bakery_today, utcnow
    from tests.support.catalog import add_product
    from tests.support.factories import make_customer

    if customer_id is None:
        made = make_customer(app, bakery, f"S {uuid.uuid4().hex[:8]}")
    else:
        made = {"id": customer_id, "locations": _locations_of(app, bakery, customer_id)}
    product = add_product(app, bakery, sku=f"S-{uuid.uuid4().hex[:8]}", name="Standing loaf")
    with tenant_session(app, bakery.id) as session:
        today = bakery_today(tenant_of(session, bakery), utcnow())
    start = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    return make_standing(
        app,
        bakery,
        {"id": made["id"], "locations": made["locations"]},
        starts_on=start,
        now=utcnow(),
        lines=[(product, 2)],
        location=next(iter(made["locations"])),
    )


def _locations_of(app, bakery, customer_id) -> dict:
    from tenants.customers.models import DeliveryLocation

    with tenant_session(app, bakery.id) as session:
        rows = session.scalars(
            select(DeliveryLocation).where(DeliveryLocation.customer_id == customer_id)
        )
        return {row.name: row.id for row in rows}


def add_skipped_occurrence(app, bakery):
    """A standing order's first week, skipped: returns the occurrence row's id."""
    from config.clock import utcnow
    from tenants.orders.standing_weeks import skip_week

    so_id = add_standing(app, bakery)
    with tenant_session(app, bakery.id) as session:
        order = standing_row(session, so_id)
        skip_week(
            session,
            tenant_of(session, bakery),
            actor=None,
            customer=customer_row(session, order.customer_id),
            standing_order=order,
            nominal=order.starts_on,
            now=utcnow(),
        )
        return occurrence_rows(session, so_id)[0].id


def add_pause(app, bakery):
    """A pause of a fresh standing order, from its second week for a week; returns its id."""
    from datetime import timedelta

    from config.clock import utcnow
    from tenants.orders.standing_weeks import pause

    so_id = add_standing(app, bakery)
    with tenant_session(app, bakery.id) as session:
        order = standing_row(session, so_id)
        row = pause(
            session,
            tenant_of(session, bakery),
            actor=None,
            customer=customer_row(session, order.customer_id),
            standing_order=order,
            first_day=order.starts_on + timedelta(days=7),
            last_day=order.starts_on + timedelta(days=13),
            now=utcnow(),
        )
        return row.id
