"""The production sheet: how much of each product to bake for one delivery date.

Counted: orders the bakery has accepted, i.e. confirmed and every later step (in production, out
for delivery, delivered). Not counted: cancelled and rejected orders (never baked), and orders
still waiting for review (the bakery has not said yes; baking them would be guessing). The page
names how many orders wait for review, so nobody forgets them.

Standing-order occurrences not yet generated come in as a separate input (`projected`, see
`tenants.production.projection`) and are shown apart, marked "projected".

A fixed number of statements whatever the number of orders: one aggregate over the order lines,
one for projected products' names (only when there are any), one count of orders waiting for
review, and the print check (`tenants.production.prints`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, select

from tenants.catalog.models import Category, Product
from tenants.orders.models import Order, OrderLine
from tenants.production.models import COUNTED_STATUSES
from tenants.production.prints import PrintCheck, print_check
from tenants.scoping import check_bound

# Statuses whose orders are baked (see the module docstring for why review is left out).
UNCATEGORISED = "Other products"


@dataclass
class SheetLine:
    """One product: the quantity of confirmed orders and of projected standing orders."""

    product_id: uuid.UUID
    sku: str
    name: str
    unit: str
    quantity: int = 0
    orders: int = 0
    projected_quantity: int = 0
    projected_orders: int = 0

    @property
    def total(self) -> int:
        return self.quantity + self.projected_quantity


@dataclass
class SheetGroup:
    """The products of one category, in the catalog's order."""

    title: str
    lines: list[SheetLine] = field(default_factory=list)


@dataclass(frozen=True)
class ProductionSheet:
    day: date
    generated_at: datetime
    groups: list[SheetGroup]
    orders: int
    pending_review: int
    prints: PrintCheck

    @property
    def lines(self) -> list[SheetLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def has_projected(self) -> bool:
        return any(line.projected_quantity for line in self.lines)

    @property
    def total_quantity(self) -> int:
        return sum(line.total for line in self.lines)


def _product_columns():
    return (
        Product.id,
        Product.sku,
        Product.name,
        Product.unit,
        Category.name,
        Category.position,
    )


def _with_category(stmt):
    return stmt.outerjoin(
        Category,
        and_(Category.tenant_id == Product.tenant_id, Category.id == Product.category_id),
    )


def counted_order_ids(day: date):
    """The ids of the day's counted orders, as a subquery. Lines are reached through it (an IN
    on the lines' (tenant, order, product) key) rather than by a join, so the database starts
    from the day's orders on their date index instead of walking a bakery's whole history of
    lines (SQLite's planner chose that for the join)."""
    return select(Order.id).where(Order.delivery_date == day, Order.status.in_(COUNTED_STATUSES))


def sheet_statement(day: date):
    """The aggregate behind the sheet: per product, its quantity and number of orders.

    The lines are added up per product first and only the ~hundred totals are joined to the
    catalog, so whatever the planner knows (nothing, right after a bulk load) it cannot join
    every line to every product before grouping.
    """
    totals = (
        select(
            OrderLine.product_id.label("product_id"),
            func.sum(OrderLine.quantity).label("quantity"),
            func.count(func.distinct(OrderLine.order_id)).label("orders"),
        )
        .where(OrderLine.order_id.in_(counted_order_ids(day)))
        .group_by(OrderLine.product_id)
        .subquery()
    )
    stmt = (
        select(*_product_columns(), totals.c.quantity, totals.c.orders)
        .select_from(totals)
        .join(Product, Product.id == totals.c.product_id)
    )
    return _with_category(stmt)


def _counted(session, day: date):
    return session.execute(sheet_statement(day)).all()


def production_sheet(
    session, tenant, *, day: date, now: datetime, projected: Iterable = ()
) -> ProductionSheet:
    """The sheet for delivery on `day` as of `now`; `projected` are standing-order lines not yet
    generated (anything with product_id, quantity and standing_order_id)."""
    check_bound(session, tenant)
    lines: dict[uuid.UUID, SheetLine] = {}
    placement: dict[uuid.UUID, tuple[str, int]] = {}
    for pid, sku, name, unit, category, position, quantity, orders in _counted(session, day):
        lines[pid] = SheetLine(pid, sku, name, unit, int(quantity), int(orders))
        placement[pid] = (category or UNCATEGORISED, position if category else 1 << 30)

    projected = list(projected)
    missing = {p.product_id for p in projected} - set(lines)
    if missing:
        stmt = _with_category(select(*_product_columns()).where(Product.id.in_(missing)))
        for pid, sku, name, unit, category, position in session.execute(stmt):
            lines[pid] = SheetLine(pid, sku, name, unit)
            placement[pid] = (category or UNCATEGORISED, position if category else 1 << 30)
    standing_by_product: dict[uuid.UUID, set] = {}
    for p in projected:
        if p.product_id in lines:
            lines[p.product_id].projected_quantity += p.quantity
            standing_by_product.setdefault(p.product_id, set()).add(p.standing_order_id)
    for pid, standing in standing_by_product.items():
        lines[pid].projected_orders = len(standing)

    groups: dict[str, SheetGroup] = {}
    ordered = sorted(lines, key=lambda pid: (placement[pid][1], placement[pid][0], lines[pid].name))
    for pid in ordered:
        title = placement[pid][0]
        groups.setdefault(title, SheetGroup(title)).lines.append(lines[pid])

    order_count, pending = session.execute(
        select(
            func.count().filter(Order.status.in_(COUNTED_STATUSES)),
            func.count().filter(Order.status == "pending_review"),
        ).where(Order.delivery_date == day)
    ).one()
    return ProductionSheet(
        day=day,
        generated_at=now,
        groups=list(groups.values()),
        orders=order_count or 0,
        pending_review=pending or 0,
        prints=print_check(session, day=day, kind="sheet"),
    )
