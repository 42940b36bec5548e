"""The home page's charts: order value per week over the last 12 weeks, and the top 10
products over the same weeks.

Weeks run Monday to Sunday by delivery date, in the bakery's calendar; the current week is the
last bar (so far). Cancelled and rejected orders are left out; everything else (including orders
still waiting for review) is business the bakery has in hand. Two statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from config.clock import bakery_today
from tenants.catalog.models import Product
from tenants.orders.models import Order, OrderLine
from tenants.scoping import check_bound

WEEKS = 12
TOP = 10
DEAD = ("cancelled", "rejected")


@dataclass(frozen=True)
class Week:
    starts: date
    value_minor: int
    orders: int


@dataclass(frozen=True)
class TopProduct:
    name: str
    sku: str
    quantity: int
    value_minor: int


@dataclass(frozen=True)
class HomeCharts:
    weeks: list[Week]
    top: list[TopProduct]

    @property
    def first(self) -> date:
        return self.weeks[0].starts

    @property
    def total_minor(self) -> int:
        return sum(w.value_minor for w in self.weeks)


def home_charts(session, tenant, *, now: datetime) -> HomeCharts:
    """The charts' numbers as of `now`."""
    check_bound(session, tenant)
    this_week = bakery_today(tenant, now)
    this_week -= timedelta(days=this_week.weekday())
    first = this_week - timedelta(weeks=WEEKS - 1)
    last = this_week + timedelta(days=6)
    per_day = session.execute(
        select(Order.delivery_date, func.coalesce(func.sum(Order.total_minor), 0), func.count())
        .where(
            Order.delivery_date >= first,
            Order.delivery_date <= last,
            Order.status.not_in(DEAD),
        )
        .group_by(Order.delivery_date)
    ).all()
    buckets = {first + timedelta(weeks=i): [0, 0] for i in range(WEEKS)}
    for day, value, count in per_day:
        bucket = buckets[day - timedelta(days=day.weekday())]
        bucket[0] += int(value)
        bucket[1] += count
    value = func.sum(OrderLine.line_total_minor)
    live_orders = select(Order.id).where(
        Order.delivery_date >= first, Order.delivery_date <= last, Order.status.not_in(DEAD)
    )
    top = session.execute(
        select(Product.name, Product.sku, func.sum(OrderLine.quantity), value)
        .select_from(OrderLine)
        .join(
            Product,
            and_(Product.tenant_id == OrderLine.tenant_id, Product.id == OrderLine.product_id),
        )
        # Through the orders' date index (see tenants.production.sheet.counted_order_ids).
        .where(OrderLine.order_id.in_(live_orders))
        .group_by(Product.id, Product.name, Product.sku)
        .order_by(value.desc(), Product.name)
        .limit(TOP)
    ).all()
    return HomeCharts(
        weeks=[Week(starts, v, n) for starts, (v, n) in buckets.items()],
        top=[TopProduct(name, sku, int(q), int(v)) for name, sku, q, v in top],
    )
