"""Demo data for the bakery's day: Rosemary & Rye's coming delivery day has confirmed orders
from Corner Deli's two locations (products baked Monday to Saturday, so any delivery day), the
van route has every location numbered, and the production sheet was "printed" with one order
placed since, so the page shows its "changed since you printed" flag.

Everything goes through the services a bakery uses (`save_location`, `place_order` by the owner
at the desk, `move_stop`, `record_print`). Runs once: a bakery with a route is left as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from config.clock import utcnow
from config.root.demo_orders import _forget_mail, _queued

# (customer, location, address, instructions, [(sku, quantity)]); Café Aurora's own demo
# orders (config/root/demo_orders.py) already cover the coming days.
DAY_ORDERS = [
    (
        "Corner Deli",
        "Deli counter",
        "48 High Street",
        "Ring twice & leave the crates by the side gate if closed",
        [("BRD-SOUR", 8), ("BRD-BAG", 20), ("VIE-CRO", 36)],
    ),
    (
        "Corner Deli",
        "Market stall",
        "Covered Market, stall 7",
        "Stall opens 6:30; ask for Ana",
        [("BRD-SOUR", 4), ("VIE-PAC", 24), ("VIE-CIN", 12)],
    ),
]
ROUTE = ["Old Town", "Deli counter", "Riverside", "Market stall"]


def seed_demo_bakery_day(session, tenant, *, now: datetime | None = None) -> None:
    """Give the coming delivery day orders, a route and an earlier print (once); commits."""
    from tenants.catalog.models import Product
    from tenants.customers.models import Customer, DeliveryLocation
    from tenants.production.days import default_day
    from tenants.production.models import RoutePosition
    from tenants.production.prints import record_print
    from tenants.production.route import move_stop
    from tenants.staff.models import StaffUser

    now = now or utcnow()
    if session.scalar(select(RoutePosition.id).limit(1)) is not None:
        return
    owner = session.scalar(select(StaffUser).where(StaffUser.role == "owner").limit(1))
    customers = {c.business_name: c for c in session.scalars(select(Customer))}
    products = {p.sku: p for p in session.scalars(select(Product))}
    if owner is None or "Corner Deli" not in customers:
        return
    day = default_day(session, tenant, now=now)
    queued_before = _queued(session)
    locations = _locations(session, DeliveryLocation)
    placed = []
    for customer_name, place, address, instructions, lines in DAY_ORDERS:
        customer = customers.get(customer_name)
        if customer is None:
            continue
        location = locations.get(place) or _add_location(
            session, tenant, customer, place, address, instructions
        )
        locations[place] = location
        placed.append((customer, location, lines))
    # The first orders came in before the print; the last one after it.
    last_at = _last_order_at(session, tenant, day, now)
    printed_at = last_at - timedelta(hours=1)
    for index, (customer, location, lines) in enumerate(placed):
        at = last_at if index == len(placed) - 1 else printed_at - timedelta(hours=2 - index)
        _place(session, tenant, owner, customer, location, lines, products, day, at)
        if index == len(placed) - 2:
            record_print(session, tenant, actor=owner, day=day, kind="sheet", now=printed_at)
    for number, name in enumerate(ROUTE, start=1):
        if name in locations:
            move_stop(
                session,
                tenant,
                actor=owner,
                location_id=locations[name].id,
                position=number,
                now=now,
            )
    # Like the other demo orders: the notices they queued happened "earlier"; the captured
    # mail keeps only what a newcomer does.
    _forget_mail(session, queued_before)
    session.commit()


def _last_order_at(session, tenant, day, now: datetime) -> datetime:
    """When the order placed after the print came in: now, unless the day's cut-off has passed
    (a Monday-morning demo shows today's sheet, whose orders closed yesterday and whose
    products need a day's notice); then the orders came in before the cut-off, which a bakery
    cannot override for notice."""
    from tenants.orders.calendar import cutoff_for, load_schedule

    cutoff_at = cutoff_for(load_schedule(session, tenant, first=day, last=day), day)
    if cutoff_at is None or now < cutoff_at - timedelta(minutes=5):
        return now
    return cutoff_at - timedelta(minutes=30)


def _locations(session, model) -> dict:
    return {loc.name: loc for loc in session.scalars(select(model))}


def _add_location(session, tenant, customer, name, address, instructions):
    from tenants.customers.locations import save_location

    return save_location(
        session,
        tenant,
        actor=None,
        customer=customer,
        name=name,
        address=address,
        delivery_instructions=instructions,
    )


def _place(session, tenant, owner, customer, location, lines, products, day, at) -> None:
    """The owner enters the order at the desk; a refused one (a closure that day, say) is left
    out rather than forced."""
    from tenants.errors import DomainError
    from tenants.orders.placement import place_order

    wanted = [(products[sku].id, qty) for sku, qty in lines if sku in products]
    try:
        with session.begin_nested():
            place_order(
                session,
                tenant,
                customer=customer,
                actor=owner,
                lines=wanted,
                location_id=location.id,
                delivery_date=day,
                now=at,
                source="staff",
                allow_second_order=True,
                cutoff_override_reason="Phoned in for the demo",
            )
    except DomainError:
        pass
