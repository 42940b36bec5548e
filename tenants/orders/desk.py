"""The staff side of ordering: the bakery's orders list, the review queue and its decisions,
and status changes in bulk.

Reads here take the bound bakery's session (the tenant filter scopes every query) and answer in
a constant number of statements, whatever the number of orders. Writes go through the
lifecycle's one way of changing an order (`states.change_status`, `states.claim_version`), so a
decision here is versioned, on the timeline and mailed to the buyer exactly as anywhere else.
Placing an order by phone is `placement.place_order` with a staff actor (source `staff`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from config.money import format_money
from tenants.catalog.models import Product
from tenants.customers.models import Customer, DeliveryLocation
from tenants.errors import NotFound, PermissionDenied, ValidationFailed
from tenants.orders import access
from tenants.orders.errors import OrderConflict
from tenants.orders.models import SOURCES, STATUSES, Order, OrderLine
from tenants.orders.pricing import tax_of
from tenants.orders.quantities import check_quantity
from tenants.orders.states import TRANSITIONS, change_status, claim_version
from tenants.orders.timeline import event

PER_PAGE = 50
MAX_EXPORT_ROWS = 20_000
MAX_BULK = 200
# A unit price set by hand above this is a typo (100,000.00 in a two-decimal currency).
MAX_UNIT_PRICE_MINOR = 10_000_000
SORTS = {
    "delivery": "Delivery date (soonest first)",
    "-delivery": "Delivery date (latest first)",
    "-number": "Newest order first",
    "number": "Oldest order first",
    "customer": "Customer A to Z",
    "-total": "Largest total first",
}
# Orders that will not be delivered; they count for nothing in the day's totals.
DEAD_STATUSES = ("rejected", "cancelled")


@dataclass(frozen=True)
class OrderFilters:
    """What the staff orders list is narrowed to; empty fields narrow nothing."""

    delivery_from: date | None = None
    delivery_until: date | None = None
    status: str | None = None
    customer_id: uuid.UUID | None = None
    source: str | None = None

    def criteria(self) -> list:
        found = []
        if self.delivery_from:
            found.append(Order.delivery_date >= self.delivery_from)
        if self.delivery_until:
            found.append(Order.delivery_date <= self.delivery_until)
        if self.status in STATUSES:
            found.append(Order.status == self.status)
        if self.customer_id:
            found.append(Order.customer_id == self.customer_id)
        if self.source in SOURCES:
            found.append(Order.source == self.source)
        return found


@dataclass(frozen=True)
class StaffRow:
    """One order as the staff list shows it."""

    order: Order
    customer_name: str
    location_name: str
    line_count: int
    possible_duplicate: bool = False


@dataclass(frozen=True)
class StaffPage:
    rows: list[StaffRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _joined(*columns):
    """Orders with their customer's name, location's name and number of lines."""
    lines = (
        select(func.count(OrderLine.id))
        .where(OrderLine.tenant_id == Order.tenant_id, OrderLine.order_id == Order.id)
        .correlate(Order)
        .scalar_subquery()
    )
    return (
        select(Order, Customer.business_name, DeliveryLocation.name, lines, *columns)
        .join(
            Customer,
            and_(Customer.tenant_id == Order.tenant_id, Customer.id == Order.customer_id),
        )
        .join(
            DeliveryLocation,
            and_(
                DeliveryLocation.tenant_id == Order.tenant_id,
                DeliveryLocation.id == Order.location_id,
            ),
        )
    )


def _ordering(sort: str):
    return {
        "delivery": (Order.delivery_date, Order.number),
        "-delivery": (Order.delivery_date.desc(), Order.number.desc()),
        "number": (Order.number,),
        "-number": (Order.number.desc(),),
        "customer": (Customer.business_name, Order.delivery_date, Order.number),
        "-total": (Order.total_minor.desc(), Order.number.desc()),
    }.get(sort, (Order.delivery_date.desc(), Order.number.desc()))


def staff_orders(
    session,
    filters: OrderFilters,
    *,
    sort: str = "-delivery",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> StaffPage:
    """One page of the bakery's orders matching `filters`: two statements whatever the size."""
    criteria = filters.criteria()
    total = session.scalar(select(func.count()).select_from(Order).where(*criteria)) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = session.execute(
        _joined()
        .where(*criteria)
        .order_by(*_ordering(sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return StaffPage([StaffRow(o, c, loc, n) for o, c, loc, n in rows], total, page, per_page)


def export_orders(session, filters: OrderFilters, *, sort: str = "-delivery") -> list[StaffRow]:
    """Every order matching `filters` (up to MAX_EXPORT_ROWS) for the CSV export: one statement."""
    rows = session.execute(
        _joined().where(*filters.criteria()).order_by(*_ordering(sort)).limit(MAX_EXPORT_ROWS)
    ).all()
    return [StaffRow(o, c, loc, n) for o, c, loc, n in rows]


def review_queue(session) -> list[StaffRow]:
    """Orders waiting for review, soonest delivery first, each flagged when the same customer
    has another live order for the same date and location (seed 004: "make sure you don't have
    multiple orders from the same customer"). One statement."""
    other = aliased(Order)
    duplicate = exists().where(
        other.tenant_id == Order.tenant_id,
        other.customer_id == Order.customer_id,
        other.location_id == Order.location_id,
        other.delivery_date == Order.delivery_date,
        other.id != Order.id,
        other.status.not_in(DEAD_STATUSES),
    )
    rows = session.execute(
        _joined(duplicate)
        .where(Order.status == "pending_review")
        .order_by(Order.delivery_date, Order.number)
    ).all()
    return [StaffRow(o, c, loc, n, bool(dup)) for o, c, loc, n, dup in rows]


def _authorize_staff(tenant, actor) -> None:
    if actor is None or access.is_contact(actor) or not actor.can("orders"):
        raise PermissionDenied("You don't have permission to do that.")
    access.require_active_bakery(tenant)


@dataclass(frozen=True)
class LineChange:
    """A reviewer's change to one line: a new quantity and/or a new unit price (minor units)."""

    line_id: uuid.UUID
    quantity: int
    unit_price_minor: int


def adjust_lines(
    session,
    tenant,
    *,
    actor,
    order: Order,
    expected_version: int,
    changes: list[LineChange],
    now: datetime,
) -> list[str]:
    """Change quantities or unit prices of `order`'s lines before it is approved, recompute its
    totals and record what changed (who, from what, to what) on the timeline. A price set here
    is marked as set by hand, so the order still says which rule gave each price. Returns the
    changes as sentences (empty: nothing differed, nothing written)."""
    _authorize_staff(tenant, actor)
    if order.status != "pending_review":
        raise ValidationFailed("Only an order waiting for review can be adjusted here.")
    lines = {
        line.id: line
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_([line.product_id for line in lines.values()]))
        )
    }
    wanted = []
    for change in changes:
        line = lines.get(change.line_id)
        if line is None:
            raise NotFound("No such line on this order.")
        field = f"line-{line.id}"
        if change.quantity != line.quantity:
            product = products.get(line.product_id)
            if product is not None:
                check_quantity(product, change.quantity, field=field)
            elif change.quantity < 1:
                raise ValidationFailed("A quantity is at least 1.", field=field)
        if not 0 <= change.unit_price_minor <= MAX_UNIT_PRICE_MINOR:
            raise ValidationFailed("Enter a price between 0 and 100,000.", field=field)
        if (change.quantity, change.unit_price_minor) != (line.quantity, line.unit_price_minor):
            wanted.append((line, change))
    if not wanted:
        return []
    claim_version(session, tenant, order, expected_version, actor=actor, now=now)
    summary = []
    for line, change in wanted:
        parts = []
        if change.quantity != line.quantity:
            parts.append(f"quantity {line.quantity} → {change.quantity}")
        if change.unit_price_minor != line.unit_price_minor:
            was, now_price = (
                format_money(line.unit_price_minor, tenant),
                format_money(change.unit_price_minor, tenant),
            )
            parts.append(f"unit price {was} → {now_price}")
            line.unit_price_minor = change.unit_price_minor
            line.price_rule = "manual"
            line.price_source = f"Set by {access.actor_name(actor)}"[:120]
            line.price_detail = "adjusted in review"
        line.quantity = change.quantity
        line.line_total_minor = line.quantity * line.unit_price_minor
        line.tax_minor = tax_of(line.line_total_minor, line.tax_rate)
        summary.append(f"{line.product_name}: {', '.join(parts)}")
    order.subtotal_minor = sum(line.line_total_minor for line in lines.values())
    order.tax_minor = sum(tax_of(line.line_total_minor, line.tax_rate) for line in lines.values())
    order.total_minor = order.subtotal_minor + order.tax_minor
    session.add(event(tenant, order, actor, "edited", now, note="; ".join(summary)[:1000]))
    session.flush()
    return summary


def approve_order(
    session,
    tenant,
    *,
    actor,
    order: Order,
    expected_version: int,
    changes: list[LineChange] = (),
    now: datetime,
) -> Order:
    """Approve a pending order, first applying the reviewer's line changes (recorded). The
    buyer is mailed the decision, with the final lines and totals, through the outbox."""
    _authorize_staff(tenant, actor)
    adjusted = adjust_lines(
        session,
        tenant,
        actor=actor,
        order=order,
        expected_version=expected_version,
        changes=list(changes),
        now=now,
    )
    version = order.version if adjusted else expected_version
    return change_status(
        session, tenant, actor=actor, order=order, to="confirmed", expected_version=version, now=now
    )


def reject_order(
    session, tenant, *, actor, order: Order, expected_version: int, reason: str, now: datetime
) -> Order:
    """Reject a pending order with the reason the buyer reads (in the mail and on the order)."""
    _authorize_staff(tenant, actor)
    if order.status != "pending_review":
        raise ValidationFailed("Only an order waiting for review can be rejected.")
    return change_status(
        session,
        tenant,
        actor=actor,
        order=order,
        to="rejected",
        expected_version=expected_version,
        reason=reason,
        now=now,
    )


@dataclass(frozen=True)
class BulkResult:
    changed: list[int]
    refused: list[str]


def bulk_change_status(session, tenant, *, actor, order_ids, to: str, now: datetime) -> BulkResult:
    """Move each of `order_ids` to status `to` where the lifecycle allows it; the others are
    left as they are and named with the reason. Each change is its own savepoint, so one
    refusal undoes nothing else. Rejection needs a reason per order, so it is not offered here.
    """
    _authorize_staff(tenant, actor)
    if to not in STATUSES or to == "rejected":
        raise ValidationFailed("Choose a status to move the orders to.", field="to")
    keys = []
    for raw in order_ids:
        try:
            keys.append(uuid.UUID(str(raw)))
        except ValueError as exc:
            raise NotFound("No such order.") from exc
    if not keys:
        raise ValidationFailed("Tick at least one order.", field="order_ids")
    if len(keys) > MAX_BULK:
        raise ValidationFailed(f"Change at most {MAX_BULK} orders at once.", field="order_ids")
    orders = list(session.scalars(select(Order).where(Order.id.in_(keys)).order_by(Order.number)))
    if len(orders) != len(set(keys)):
        raise NotFound("No such order.")
    changed, refused = [], []
    for order in orders:
        if to not in TRANSITIONS.get(order.status, ()):
            refused.append(
                f"Order {order.number} is {order.status_label.lower()} and cannot become "
                f"{STATUSES[to].lower()}."
            )
            continue
        try:
            with session.begin_nested():
                change_status(
                    session,
                    tenant,
                    actor=actor,
                    order=order,
                    to=to,
                    expected_version=order.version,
                    now=now,
                )
        except (ValidationFailed, OrderConflict) as exc:
            refused.append(f"Order {order.number}: {exc.message}")
            continue
        changed.append(order.number)
    return BulkResult(changed, refused)


def customer_choices(session) -> list[tuple[uuid.UUID, str]]:
    """Every customer's id and name, A to Z, for the list's filter and the order desk."""
    return list(
        session.execute(
            select(Customer.id, Customer.business_name).order_by(Customer.business_name)
        ).all()
    )


def order_customer(session, order: Order) -> Customer:
    """The customer `order` is for."""
    return session.scalar(select(Customer).where(Customer.id == order.customer_id))


def desk_products(session, customer) -> list[Product]:
    """The products `customer` may order (active, and in its assortment if it has one), A to
    Z, for the order desk's form. One or two statements."""
    from tenants.catalog.models import AssortmentItem

    stmt = select(Product).where(Product.active.is_(True)).order_by(Product.name)
    if customer.assortment_id is not None:
        stmt = stmt.where(
            Product.id.in_(
                select(AssortmentItem.product_id).where(
                    AssortmentItem.assortment_id == customer.assortment_id
                )
            )
        )
    return list(session.scalars(stmt))
