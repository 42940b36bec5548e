"""The health check of a customer's coming order, for the weekly reminder.

It takes the customer's last order as "the usual order" and asks the existing services about
the coming delivery date (the calendar) and today's prices (the one pricing engine):
- `unavailable`: a product left the assortment, was withdrawn or is out of season;
- `sold_out`: a product is marked sold out for the coming date;
- `price`: a unit price differs from what the last order paid;
- `minimum`: the usual order, at today's prices, is below the customer's minimum;
- `closed`: the customer's next delivery date falls on a closure (the check then looks at the
  next date the calendar allows).
Problems are plain data (kind + names + minor units) so the email renders them in the
bakery's language; `cutoff_words` is the deadline as a person says it: "Monday 14:00".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_datetime as babel_datetime
from sqlalchemy import select

from config.clock import bakery_today, bakery_zone
from config.formatting import format_date
from tenants.catalog.models import SoldOut
from tenants.orders.calendar import delivery_calendar
from tenants.orders.models import Order, OrderLine
from tenants.orders.pricing import orderable_products, price_lines

# "The usual order" is the newest the bakery accepted: not one waiting for review, rejected
# or cancelled.
USUAL_STATUSES = ("confirmed", "in_production", "out_for_delivery", "delivered")


@dataclass(frozen=True)
class HealthCheck:
    """The coming order's date, its deadline and the problems found."""

    last_order: Order | None
    delivery_date: date | None
    cutoff_at: datetime | None
    cutoff_words: str
    problems: list[dict] = field(default_factory=list)
    total_minor: int = 0

    def context(self, tenant) -> dict:
        """Plain JSON for the email."""
        return {
            "last_order_number": self.last_order.number if self.last_order else None,
            "delivery_date": format_date(self.delivery_date, tenant) if self.delivery_date else "",
            "cutoff_words": self.cutoff_words,
            "problems": self.problems,
            "total_minor": self.total_minor,
        }

    def kinds(self) -> set[str]:
        return {p["kind"] for p in self.problems}


def last_order(session, customer) -> Order | None:
    """The customer's latest accepted order: the usual order."""
    return session.scalar(
        select(Order)
        .where(Order.customer_id == customer.id, Order.status.in_(USUAL_STATUSES))
        .order_by(Order.placed_at.desc(), Order.number.desc())
        .limit(1)
    )


def cutoff_words(instant: datetime, tenant) -> str:
    """ "Monday 14:00" in the bakery's locale and timezone ("Montag 14:00")."""
    return babel_datetime(instant, "EEEE HH:mm", tzinfo=bakery_zone(tenant), locale=tenant.locale)


def _coming_day(calendar, customer):
    """The next delivery date whose cut-off has not passed, closed or not, and the first
    date the calendar lets this customer order for."""
    blocking = {"closed"}
    coming = next(
        (
            d
            for d in calendar.days
            if d.cutoff_at is not None and all(r.code in blocking for r in d.refusals)
        ),
        None,
    )
    return coming, calendar.option(calendar.earliest) if calendar.earliest else None


def check_coming_order(session, tenant, *, customer, now: datetime) -> HealthCheck:
    """The health check of `customer`'s coming order (see the module docstring)."""
    calendar = delivery_calendar(session, tenant, customer=customer, now=now)
    coming, orderable = _coming_day(calendar, customer)
    problems: list[dict] = []
    if coming is not None and not coming.orderable:
        reason = next(r.message for r in coming.refusals if r.code == "closed")
        problems.append(
            {
                "kind": "closed",
                "day": format_date(coming.day, tenant),
                "reason": reason,
                "next_day": format_date(orderable.day, tenant) if orderable else "",
            }
        )
    target = orderable or coming
    words = cutoff_words(target.cutoff_at, tenant) if target and target.cutoff_at else ""
    order = last_order(session, customer)
    total = 0
    if order is not None and target is not None:
        found, total = _line_problems(session, tenant, customer, order, target.day, now)
        problems += found
    return HealthCheck(
        order,
        target.day if target else None,
        target.cutoff_at if target else None,
        words,
        problems,
        total,
    )


def _line_problems(session, tenant, customer, order, day: date, now) -> tuple[list[dict], int]:
    lines = list(
        session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
        )
    )
    products = orderable_products(session, customer, [line.product_id for line in lines])
    sold_out = set(
        session.scalars(
            select(SoldOut.product_id).where(
                SoldOut.day == day, SoldOut.product_id.in_(list(products))
            )
        )
    )
    problems, kept = [], []
    for line in lines:
        product = products.get(line.product_id)
        if product is None or not product.in_season(day):
            problems.append({"kind": "unavailable", "name": line.product_name})
        elif product.id in sold_out:
            problems.append({"kind": "sold_out", "name": product.name})
        else:
            kept.append(line)
    unpriced: list = []
    priced = price_lines(
        session,
        tenant,
        customer=customer,
        products=products,
        lines=[(line.product_id, line.quantity) for line in kept],
        on=bakery_today(tenant, now),
        unpriced=unpriced,
    )
    by_product = {p.product.id: p for p in priced.lines}
    for line in kept:
        now_priced = by_product.get(line.product_id)
        if now_priced is None:
            problems.append({"kind": "unavailable", "name": line.product_name})
            continue
        price = now_priced.quote.unit_price_minor
        if price != line.unit_price_minor:
            problems.append(
                {
                    "kind": "price",
                    "name": line.product_name,
                    "was_minor": line.unit_price_minor,
                    "now_minor": price,
                }
            )
    if priced.minimum_minor and not priced.meets_minimum:
        problems.append(
            {
                "kind": "minimum",
                "total_minor": priced.subtotal_minor,
                "minimum_minor": priced.minimum_minor,
            }
        )
    return problems, priced.total_minor
