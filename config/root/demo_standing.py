"""Demo standing order: Café Aurora's Riverside café gets bread and croissants every Wednesday.

Made through the standing-order services with past clocks, like the demo orders: set up by the
owner a few weeks ago, its past Wednesdays placed by the generator at their cut-offs (and since
delivered), the Wednesday after next skipped by the buyer, the coming ones scheduled, so the
portal's six weeks, the staff list and the production sheet's projection all have data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from config.clock import bakery_today, utcnow

LINES = [("BRD-SOUR", 4), ("VIE-CRO", 18), ("BRD-BAG", 10)]
WEEKS_BACK = 3
WEEKDAY = 2  # Wednesday: one of the days Café Aurora takes deliveries


def seed_demo_standing(session, tenant, *, customer, owner_contact, now: datetime | None = None):
    """Give Café Aurora a weekly Wednesday standing order (once)."""
    from tenants.catalog.models import Product
    from tenants.customers.models import DeliveryLocation
    from tenants.orders.standing_edit import create_standing_order
    from tenants.orders.standing_generate import generate_due
    from tenants.orders.standing_models import StandingOrder
    from tenants.orders.standing_schedule import first_on_or_after
    from tenants.orders.standing_weeks import skip_week
    from tenants.outbox import OutboundEmail

    now = now or utcnow()
    if session.scalar(select(StandingOrder.id).limit(1)) is not None:
        return
    customer.standing_orders_allowed = True
    products = {
        p.sku: p.id
        for p in session.scalars(select(Product).where(Product.sku.in_([s for s, _ in LINES])))
    }
    riverside = session.scalar(
        select(DeliveryLocation).where(
            DeliveryLocation.customer_id == customer.id, DeliveryLocation.name == "Riverside"
        )
    )
    today = bakery_today(tenant, now)
    first = first_on_or_after(WEEKDAY, today) - timedelta(days=7 * WEEKS_BACK)
    set_up_at = now - timedelta(days=7 * WEEKS_BACK + 4)
    queued_before = set(session.scalars(select(OutboundEmail.id)))
    order = create_standing_order(
        session,
        tenant,
        actor=owner_contact,
        customer=customer,
        location_id=riverside.id,
        lines=[(products[sku], qty) for sku, qty in LINES],
        starts_on=first,
        name="Wednesday bread",
        notes="Back door, please: the café opens at 8.",
        now=set_up_at,
    )
    _place_past_weeks(session, tenant, order, now)
    generate_due(session, tenant, now=now)  # a week whose cut-off passed today, as the job would
    skip_week(
        session,
        tenant,
        actor=owner_contact,
        customer=customer,
        standing_order=order,
        nominal=first_on_or_after(WEEKDAY, today + timedelta(days=1)) + timedelta(days=7),
        now=now,
    )
    # The past weeks' mails happened "weeks ago": keep captured mail for what the visitor does.
    stmt = delete(OutboundEmail).where(OutboundEmail.template.like("%order%"))
    if queued_before:
        stmt = stmt.where(OutboundEmail.id.not_in(queued_before))
    session.execute(stmt.execution_options(synchronize_session=False))
    session.flush()


def _place_past_weeks(session, tenant, order, now: datetime) -> None:
    """Run the generator at each past Wednesday's cut-off, then deliver what it placed."""
    from tenants.orders.models import Order
    from tenants.orders.standing_generate import generate_due
    from tenants.orders.standing_schedule import due_at, load_schedule
    from tenants.orders.states import change_status
    from tenants.staff.models import StaffUser

    staff = session.scalar(select(StaffUser).where(StaffUser.role == "owner").limit(1))
    schedule = load_schedule(session, tenant, first=order.starts_on, last=order.starts_on)
    for week in range(WEEKS_BACK):
        day = order.starts_on + timedelta(days=7 * week)
        cutoff = due_at(schedule, day)
        if cutoff >= now:
            break
        for row in generate_due(session, tenant, now=cutoff).placed:
            placed = session.scalar(select(Order).where(Order.id == row.order_id))
            van = datetime.combine(day, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(hours=5)
            if van >= now:
                continue
            for step, to in enumerate(("in_production", "out_for_delivery", "delivered")):
                change_status(
                    session,
                    tenant,
                    actor=staff,
                    order=placed,
                    to=to,
                    expected_version=placed.version,
                    reason="",
                    now=van + timedelta(minutes=step),
                )
