"""Demo orders: Rosemary & Rye's delivery calendar, and Café Aurora's orders in every status.

Everything goes through the ordering services a bakery uses (the calendar settings,
`place_order`, `change_status`, `cancel_order`), so the demo shows what the product makes, not
what raw inserts could fake. History is placed with a `now` in the past: the calendar, the
cut-offs and the prices are those of that day. Runs once: a café with orders is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from config.clock import bakery_today, utcnow

# (sku, quantity) of a usual Café Aurora order; every product is baked on its delivery days.
USUAL = [("BRD-SOUR", 6), ("VIE-CRO", 24), ("BRD-BAG", 10), ("VIE-PAC", 12)]
SMALL = [("VIE-CRO", 24), ("BRD-SOUR", 4)]


def seed_demo_orders(session, tenant, *, customer, owner_contact, now: datetime | None = None):
    """Give the bakery a delivery calendar and Café Aurora its orders (once)."""
    from tenants.catalog.models import Product
    from tenants.orders.calendar_settings import add_closure, set_delivery_days
    from tenants.orders.models import DeliveryDay, Order

    now = now or utcnow()
    if session.scalar(select(Order.id).where(Order.customer_id == customer.id).limit(1)):
        return
    if session.scalar(select(DeliveryDay.id).limit(1)) is None:
        # Monday to Saturday; orders close 14:00 the day before (Saturday's on Thursday at noon).
        days = {weekday: (1, time(14, 0)) for weekday in range(5)}
        days[5] = (2, time(12, 0))
        set_delivery_days(session, tenant, actor=None, days=days)
        today = bakery_today(tenant, now)
        year = today.year if today <= date(today.year, 12, 27) else today.year + 1
        add_closure(
            session,
            tenant,
            actor=None,
            first_day=date(year, 12, 24),
            last_day=date(year, 12, 27),
            reason="Christmas",
        )
    skus = {sku for sku, _ in USUAL}
    products = {p.sku: p.id for p in session.scalars(select(Product).where(Product.sku.in_(skus)))}
    staff = _owner(session)
    queued_before = _queued(session)
    locations = _locations(session, customer)
    demo = _Demo(session, tenant, customer, owner_contact, staff, products)

    # History: a weekly order, delivered, for the last four weeks (something to reorder).
    for weeks in (4, 3, 2, 1):
        placed = demo.place(USUAL, locations["Old Town"], at=now - timedelta(days=7 * weeks + 1))
        demo.advance(placed, "in_production", "out_for_delivery", "delivered", at=placed.day_at)
    # The next delivery day, seen from yesterday: one on its way, one in the oven.
    yesterday = now - timedelta(days=1)
    on_its_way = demo.place(USUAL, locations["Old Town"], at=yesterday)
    demo.advance(on_its_way, "in_production", "out_for_delivery", at=now - timedelta(hours=2))
    baking = demo.place(SMALL, locations["Riverside"], at=yesterday)
    demo.advance(baking, "in_production", at=now - timedelta(hours=3))
    # A buyer's order two days ago that the bakery could not take.
    customer.order_approval_required = True
    refused = demo.place(SMALL, locations["Riverside"], at=now - timedelta(days=2), second=True)
    demo.advance(
        refused,
        "rejected",
        at=now - timedelta(days=2) + timedelta(hours=1),
        reason="Riverside is closed for a private event that day; shall we deliver to Old Town?",
    )
    customer.order_approval_required = False
    # Coming up: confirmed orders from the buyer and from the bakery's phone, one cancelled.
    upcoming = demo.place(USUAL, locations["Old Town"], at=now - timedelta(hours=5), later=1)
    demo.place(SMALL, locations["Riverside"], at=now - timedelta(hours=4), later=1, by_staff=True)
    cancelled = demo.place(SMALL, locations["Riverside"], at=now - timedelta(hours=6), later=2)
    demo.cancel(cancelled, at=now - timedelta(hours=5))
    # Waiting for review: a second order for the same day and place (flagged as a duplicate).
    customer.order_approval_required = True
    demo.place(
        [("VIE-PAC", 36)],
        locations["Old Town"],
        at=now - timedelta(minutes=30),
        day=upcoming.order.delivery_date,
        second=True,
        notes="Extra pains au chocolat for our brunch menu, please.",
    )
    customer.order_approval_required = False
    session.flush()
    _forget_mail(session, queued_before)


def _forget_mail(session, before: set) -> None:
    """Drop the confirmations the demo's orders queued: they happened "weeks ago", and a
    newcomer's captured mail should hold only what they do themselves (and the invitation)."""
    from sqlalchemy import delete

    from tenants.outbox import OutboundEmail

    stmt = delete(OutboundEmail).where(OutboundEmail.template.like("order%"))
    if before:
        stmt = stmt.where(OutboundEmail.id.not_in(before))
    session.execute(stmt.execution_options(synchronize_session=False))


def _queued(session) -> set:
    from tenants.outbox import OutboundEmail

    return set(session.scalars(select(OutboundEmail.id)))


def _owner(session):
    from tenants.staff.models import StaffUser

    return session.scalar(select(StaffUser).where(StaffUser.role == "owner").limit(1))


def _locations(session, customer):
    from tenants.customers.models import DeliveryLocation

    return {
        loc.name: loc
        for loc in session.scalars(
            select(DeliveryLocation).where(DeliveryLocation.customer_id == customer.id)
        )
    }


class _Placed:
    def __init__(self, order, at: datetime):
        self.order = order
        self.at = at
        # The morning of the delivery day (06:00 UTC), when the van leaves.
        self.day_at = datetime.combine(order.delivery_date, time(6, 0), tzinfo=at.tzinfo)


class _Demo:
    """Places and moves Café Aurora's demo orders through the ordering services."""

    def __init__(self, session, tenant, customer, contact, staff, products):
        self.session, self.tenant, self.customer = session, tenant, customer
        self.contact, self.staff, self.products = contact, staff, products

    def place(
        self,
        lines,
        location,
        *,
        at: datetime,
        later: int = 0,
        day: date | None = None,
        second: bool = False,
        by_staff: bool = False,
        notes: str = "",
    ) -> _Placed:
        """Place an order as the buyer (or the owner, by phone) at time `at`, for the earliest
        date the calendar then allowed (or the `later`-th orderable date after it)."""
        from tenants.orders.calendar import delivery_calendar
        from tenants.orders.placement import place_order

        wanted = [(self.products[sku], qty) for sku, qty in lines]
        if day is None:
            calendar = delivery_calendar(
                self.session,
                self.tenant,
                customer=self.customer,
                product_ids=[pid for pid, _ in wanted],
                now=at,
            )
            day = calendar.orderable[later]
        placement = place_order(
            self.session,
            self.tenant,
            customer=self.customer,
            actor=self.staff if by_staff else self.contact,
            lines=wanted,
            location_id=location.id,
            delivery_date=day,
            notes=notes,
            allow_second_order=second,
            now=at,
            source="staff" if by_staff else None,
        )
        return _Placed(placement.order, at)

    def advance(self, placed: _Placed, *statuses: str, at: datetime, reason: str = "") -> None:
        """Move the order through `statuses`, a minute apart, as the bakery's owner."""
        from tenants.orders.states import change_status

        for step, to in enumerate(statuses):
            change_status(
                self.session,
                self.tenant,
                actor=self.staff,
                order=placed.order,
                to=to,
                expected_version=placed.order.version,
                reason=reason,
                now=at + timedelta(minutes=step),
            )

    def cancel(self, placed: _Placed, *, at: datetime) -> None:
        from tenants.orders.editing import cancel_order

        cancel_order(
            self.session,
            self.tenant,
            actor=self.contact,
            order=placed.order,
            expected_version=placed.order.version,
            reason="We ordered twice by mistake.",
            now=at,
        )
