"""The back office home's ordering panel: today's and tomorrow's deliveries (counts and value),
orders waiting for review or for their card payment, cut-offs closing in the next hours, and
orders placed since the staff member's last visit. A constant number of statements, whatever
the number of orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select, update

from config.clock import bakery_today
from tenants.customers.models import Customer
from tenants.orders.calendar import cutoff_for, load_schedule
from tenants.orders.desk import DEAD_STATUSES
from tenants.orders.models import Order
from tenants.staff.models import StaffUser

CUTOFF_WINDOW = timedelta(hours=12)
NOT_YET_OR_DEAD = (*DEAD_STATUSES, "awaiting_payment")
RECENT_LIMIT = 8


@dataclass(frozen=True)
class DayTotals:
    day: date
    orders: int
    value_minor: int


@dataclass(frozen=True)
class ClosingCutoff:
    """A delivery date whose orders close soon, and how many orders it has so far."""

    day: date
    closes_at: datetime
    orders: int


@dataclass(frozen=True)
class Dashboard:
    today: DayTotals
    tomorrow: DayTotals
    pending_review: int
    awaiting_payment: int
    closing: list[ClosingCutoff]
    since: datetime | None
    new_orders: int
    recent: list[tuple[Order, str]]


def _per_day(session, days: list[date]) -> dict[date, tuple[int, int]]:
    rows = session.execute(
        select(Order.delivery_date, func.count(), func.coalesce(func.sum(Order.total_minor), 0))
        # An order awaiting its card payment is not an order yet: it counts once it is paid.
        .where(Order.delivery_date.in_(days), Order.status.not_in(NOT_YET_OR_DEAD))
        .group_by(Order.delivery_date)
    ).all()
    return {day: (count, int(value)) for day, count, value in rows}


def dashboard(session, tenant, *, since: datetime | None, now: datetime) -> Dashboard:
    """The home panel as of `now`; `since` is the viewer's previous visit (None: first visit,
    when "new" means placed in the last day)."""
    today = bakery_today(tenant, now)
    tomorrow = today + timedelta(days=1)
    schedule = load_schedule(session, tenant, first=today, last=today + timedelta(days=15))
    closing_days = []
    for offset in range(16):
        day = today + timedelta(days=offset)
        closes = cutoff_for(schedule, day)
        open_day = not any(c.covers(day) for c in schedule.closures)
        if closes and now < closes <= now + CUTOFF_WINDOW and open_day:
            closing_days.append((day, closes))
    counts = _per_day(session, [today, tomorrow, *(d for d, _ in closing_days)])
    pending, awaiting = session.execute(
        select(
            func.count().filter(Order.status == "pending_review"),
            func.count().filter(Order.status == "awaiting_payment"),
        ).where(Order.status.in_(("pending_review", "awaiting_payment")))
    ).one()
    cutoff = since or now - timedelta(days=1)
    new_orders = session.scalar(
        select(func.count()).select_from(Order).where(Order.placed_at > cutoff)
    )
    recent = session.execute(
        select(Order, Customer.business_name)
        .join(
            Customer,
            and_(Customer.tenant_id == Order.tenant_id, Customer.id == Order.customer_id),
        )
        .where(Order.placed_at > cutoff)
        .order_by(Order.placed_at.desc(), Order.number.desc())
        .limit(RECENT_LIMIT)
    ).all()

    def totals(day):
        count, value = counts.get(day, (0, 0))
        return DayTotals(day, count, value)

    return Dashboard(
        today=totals(today),
        tomorrow=totals(tomorrow),
        pending_review=pending or 0,
        awaiting_payment=awaiting or 0,
        closing=[ClosingCutoff(d, at, counts.get(d, (0, 0))[0]) for d, at in closing_days],
        since=since,
        new_orders=new_orders or 0,
        recent=[(o, name) for o, name in recent],
    )


def record_visit(session, staff: StaffUser, *, now: datetime) -> datetime | None:
    """Note that `staff` looked at the home page now; returns their previous visit."""
    previous = staff.orders_seen_at
    session.execute(
        update(StaffUser)
        .where(StaffUser.id == staff.id)
        .values(orders_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    return previous
