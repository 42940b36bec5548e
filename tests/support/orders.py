"""Ordering test data: delivery calendars, bakery timezones, and a ready-to-order café."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from tests.support.catalog import add_product, tenant_of
from tests.support.factories import add_contact, make_customer, tenant_session


def set_timezone(app, bakery, tz: str) -> None:
    with tenant_session(app, bakery.id) as session:
        tenant_of(session, bakery).timezone = tz


def set_days(app, bakery, days: dict[int, tuple[int, time]]) -> None:
    """Replace `bakery`'s delivery weekdays: {weekday: (days before, cut-off time)}."""
    from tenants.orders.calendar_settings import set_delivery_days

    with tenant_session(app, bakery.id) as session:
        set_delivery_days(session, tenant_of(session, bakery), actor=None, days=days)


def every_day(days_before: int = 1, at: time = time(14, 0)) -> dict[int, tuple[int, time]]:
    return {w: (days_before, at) for w in range(7)}


def close(app, bakery, first: date, last: date, reason: str) -> None:
    from tenants.orders.calendar_settings import add_closure

    with tenant_session(app, bakery.id) as session:
        add_closure(
            session,
            tenant_of(session, bakery),
            actor=None,
            first_day=first,
            last_day=last,
            reason=reason,
        )


def mark_sold_out(app, bakery, product_id, day: date) -> None:
    from tenants.catalog.models import SoldOut

    with tenant_session(app, bakery.id) as session:
        session.add(SoldOut(tenant_id=bakery.id, product_id=product_id, day=day))


def customer_row(session, customer_id):
    from tenants.customers.models import Customer

    return session.scalar(select(Customer).where(Customer.id == customer_id))


def contact_row(session, contact_id):
    from tenants.customers.models import Contact

    return session.scalar(select(Contact).where(Contact.id == contact_id))


def staff_row(session, staff_id):
    from tenants.staff.models import StaffUser

    return session.scalar(select(StaffUser).where(StaffUser.id == staff_id))


def make_cafe(app, bakery, *, name="Café Aurora", email="buyer@example.com", **customer_fields):
    """A customer with two locations, an organization-level contact that may create and edit
    orders, and two products; returns the ids."""
    customer = make_customer(app, bakery, name, **customer_fields)
    contact = add_contact(
        app,
        bakery,
        customer["id"],
        email=email,
        grants=("view_orders", "create_orders", "edit_orders"),
    )
    bread = add_product(app, bakery, sku="BAG-01", name="Baguette", price=250, tax_rate=7)
    roll = add_product(
        app, bakery, sku="ROL-01", name="Roll", price=80, min_order_qty=6, qty_increment=6
    )
    return {**customer, "contact": contact, "bread": bread, "roll": roll}


def add_order(
    app,
    bakery,
    *,
    customer_id=None,
    location_id=None,
    quantity: int = 3,
    source: str | None = None,
    pending: bool = False,
):
    """An order (placed by the system) for the earliest date the calendar allows now, for a
    fresh customer unless one is given; returns its id. `pending`: the customer's orders need
    review, so this one waits in the review queue."""
    import uuid

    from config.clock import utcnow
    from tenants.orders.calendar import delivery_calendar
    from tenants.orders.placement import place_order

    if customer_id is None:
        made = make_customer(app, bakery, f"O {uuid.uuid4().hex[:8]}")
        customer_id, location_id = made["id"], next(iter(made["locations"].values()))
    product = add_product(app, bakery, sku=f"O-{uuid.uuid4().hex[:8]}", name="Order loaf")
    with tenant_session(app, bakery.id) as session:
        tenant, customer = tenant_of(session, bakery), customer_row(session, customer_id)
        customer.order_approval_required = customer.order_approval_required or pending
        now = utcnow()
        day = delivery_calendar(session, tenant, customer=customer, now=now).earliest
        return place_order(
            session,
            tenant,
            customer=customer,
            actor=None,
            lines=[(product, quantity)],
            location_id=location_id,
            delivery_date=day,
            allow_second_order=True,
            now=now,
            source=source,
        ).order.id


def add_closure(app, bakery, *, days_ahead: int = 30, reason: str = "Stocktake"):
    """A one-day closure `days_ahead` days from now; returns its id."""
    from datetime import timedelta

    from config.clock import utcnow
    from tenants.orders.calendar_settings import add_closure as add

    day = utcnow().date() + timedelta(days=days_ahead)
    with tenant_session(app, bakery.id) as session:
        return add(
            session,
            tenant_of(session, bakery),
            actor=None,
            first_day=day,
            last_day=day,
            reason=reason,
        ).id


def add_rating(app, bakery, *, score: int = 4, comment: str = "Lovely bread"):
    """A delivered order of a fresh customer, rated with a comment; returns the rating's id."""
    from config.clock import utcnow
    from tenants.orders.followup_models import OrderRating
    from tenants.orders.models import Order

    order_id = add_order(app, bakery)
    with tenant_session(app, bakery.id) as session:
        order = session.scalar(select(Order).where(Order.id == order_id))
        order.status = "delivered"
        rating = OrderRating(
            tenant_id=bakery.id,
            order_id=order.id,
            customer_id=order.customer_id,
            score=score,
            comment=comment,
            rated_by_name="Alex Buyer",
            updated_at=utcnow(),
        )
        session.add(rating)
        session.flush()
        return rating.id
