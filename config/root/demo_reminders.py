"""Demo of the weekly reminder, back in stock and ratings, for Café Aurora at Rosemary & Rye.

Through the services a bakery and its buyers use: Café Aurora's reminder is set for Friday
10:00; its owner rated last week's delivered order with a comment; she asked to be told when
the (out of season) hot cross buns come back; and this week's reminder is in the captured
mail (/dev/mail) with its one-tap "Order again" link. Runs once: a café with a rating is left.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from config.clock import at_bakery, bakery_today, utcnow

RATING_COMMENT = "Croissants were perfect; the baguettes came a little pale this time."


def seed_demo_reminders(session, tenant, *, customer, owner_contact, now: datetime | None = None):
    """Café Aurora's reminder time, a rated order, a back-in-stock request and this week's
    reminder email (once)."""
    from jobs.reminders import send
    from tenants.catalog.models import Category, Product
    from tenants.catalog.products import create_product
    from tenants.orders.followup_models import OrderRating
    from tenants.orders.models import Order
    from tenants.orders.ratings import rate_order
    from tenants.orders.reminders import set_reminder_time
    from tenants.orders.stock_alerts import set_request

    now = now or utcnow()
    if session.scalar(select(OrderRating.id).where(OrderRating.customer_id == customer.id)):
        return
    set_reminder_time(session, tenant, actor=None, customer=customer, weekday=4, at=time(10, 0))
    delivered = session.scalar(
        select(Order)
        .where(Order.customer_id == customer.id, Order.status == "delivered")
        .order_by(Order.delivery_date.desc())
        .limit(1)
    )
    if delivered is not None:
        rate_order(
            session,
            tenant,
            contact=owner_contact,
            customer=customer,
            order_id=delivered.id,
            score=4,
            comment=RATING_COMMENT,
            now=now,
        )
    buns = session.scalar(select(Product).where(Product.sku == "SEA-HXB"))
    if buns is None:
        year = bakery_today(tenant, now).year + 1
        cakes = session.scalar(select(Category).where(Category.name == "Cakes"))
        buns = create_product(
            session,
            tenant,
            actor=None,
            sku="SEA-HXB",
            name="Hot cross buns",
            unit="each",
            base_price_minor=160,
            category_id=cakes.id if cakes else None,
            available_from=date(year, 3, 1),
            available_until=date(year, 4, 20),
            qty_increment=6,
        )
    set_request(
        session,
        tenant,
        contact=owner_contact,
        customer=customer,
        product_id=buns.id,
        wanted=True,
        now=now,
    )
    session.flush()
    # This week's reminder, as the scheduler would write it (and claiming its week).
    send(
        tenant,
        period=at_bakery(now, tenant).strftime("%Y-%m-%dT%H:%M"),
        subject=str(customer.id),
        now=now,
    )
