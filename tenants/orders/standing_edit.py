"""Create, change and end standing orders: buyers (with the create-orders permission, for the
locations they may order for) and staff (`orders`) alike, through the same functions.

Every write checks the tier (`standing_orders`), the customer's `standing_orders_allowed`, the
actor's permission, the location, each product and quantity (the same checks `place_order`
makes) and that the weekday is one the bakery delivers on, before it changes anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from config.clock import bakery_today
from tenants.customers import permissions
from tenants.errors import NotFound, PermissionDenied, ValidationFailed
from tenants.lookup import get_by_id
from tenants.orders import access
from tenants.orders.calendar import WEEKDAY_NAMES, load_schedule
from tenants.orders.placement import clean_lines, resolve_location
from tenants.orders.pricing import price_lines
from tenants.orders.standing_models import (
    MAX_EVERY_WEEKS,
    MAX_NAME_LENGTH,
    StandingOrder,
    StandingOrderLine,
)
from tenants.orders.standing_schedule import live_orders, load_context, occurrences_between
from tenants.plans import require_feature

MAX_NOTES = 1000


def authorize(tenant, actor, customer, *, now) -> None:
    """Raise unless `actor` may keep standing orders for `customer` now."""
    require_feature(tenant, "standing_orders", now=now)
    access.authorize(tenant, actor, customer, "create_orders", now=now)
    if not customer.standing_orders_allowed:
        if access.is_contact(actor):
            raise PermissionDenied("Standing orders are not switched on for your account.")
        raise PermissionDenied("Allow standing orders in this customer's ordering settings first.")


def visible_criteria(contact) -> list:
    """WHERE clauses for the standing orders `contact` may see (their access level)."""
    return permissions.visible_order_filter(contact).criteria(StandingOrder)


def get_standing_order(session, standing_order_id, *, customer=None, contact=None):
    """The standing order by id; of `customer` only, and within `contact`'s access level."""
    where = []
    if customer is not None:
        where.append(StandingOrder.customer_id == customer.id)
    if contact is not None:
        where += visible_criteria(contact)
    return get_by_id(
        session, StandingOrder, standing_order_id, missing="No such standing order.", where=where
    )


def _clean(
    session,
    tenant,
    *,
    actor,
    customer,
    location_id,
    lines,
    starts_on,
    every_weeks,
    ends_on,
    name,
    notes,
    now,
    starting_changed=True,
):
    location = resolve_location(session, actor, customer, location_id)
    clean, products = clean_lines(session, customer, lines)
    name, notes = (name or "").strip(), (notes or "").strip()
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed(f"Keep the name to {MAX_NAME_LENGTH} characters.", field="name")
    if len(notes) > MAX_NOTES:
        raise ValidationFailed(f"Keep notes to {MAX_NOTES} characters.", field="notes")
    try:
        every_weeks = int(every_weeks)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("Choose how often.", field="every_weeks") from exc
    if not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        raise ValidationFailed(f"Repeat every 1 to {MAX_EVERY_WEEKS} weeks.", field="every_weeks")
    if not isinstance(starts_on, date):
        raise ValidationFailed("Choose the first delivery date.", field="starts_on")
    today = bakery_today(tenant, now)
    if starting_changed and starts_on < today:
        raise ValidationFailed("The first delivery can't be in the past.", field="starts_on")
    schedule = load_schedule(session, tenant, first=starts_on, last=starts_on)
    weekday = starts_on.weekday()
    if weekday not in schedule.cutoffs or (
        customer.delivery_weekdays and weekday not in customer.delivery_weekdays
    ):
        raise ValidationFailed(
            f"No deliveries on {WEEKDAY_NAMES[weekday]}s; choose another day.", field="starts_on"
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationFailed("The last delivery comes before the first.", field="ends_on")
    priced = price_lines(
        session, tenant, customer=customer, products=products, lines=clean, on=today
    )
    prices = {line.product.id: line.quote.unit_price_minor for line in priced.lines}
    return location, clean, prices, every_weeks, name, notes


def _write_lines(session, tenant, order: StandingOrder, clean, prices: dict) -> None:
    session.execute(
        delete(StandingOrderLine)
        .where(StandingOrderLine.standing_order_id == order.id)
        .execution_options(synchronize_session=False)
    )
    session.add_all(
        StandingOrderLine(
            tenant_id=tenant.id,
            standing_order_id=order.id,
            product_id=pid,
            quantity=qty,
            position=position,
            last_unit_price_minor=prices.get(pid),
        )
        for position, (pid, qty) in enumerate(clean)
    )


def create_standing_order(
    session,
    tenant,
    *,
    actor,
    customer,
    location_id,
    lines: Iterable[tuple],
    starts_on: date,
    every_weeks: int = 1,
    ends_on: date | None = None,
    name: str = "",
    notes: str = "",
    now: datetime,
) -> StandingOrder:
    """Set up a standing order delivering on `starts_on`'s weekday from `starts_on`."""
    authorize(tenant, actor, customer, now=now)
    location, clean, prices, every_weeks, name, notes = _clean(
        session,
        tenant,
        actor=actor,
        customer=customer,
        location_id=location_id,
        lines=lines,
        starts_on=starts_on,
        every_weeks=every_weeks,
        ends_on=ends_on,
        name=name,
        notes=notes,
        now=now,
    )
    who = access.actor_name(actor)[:200]
    order = StandingOrder(
        id=uuid.uuid4(),
        tenant_id=tenant.id,
        customer_id=customer.id,
        location_id=location.id,
        name=name,
        weekday=starts_on.weekday(),
        every_weeks=every_weeks,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
        placed_by_contact_id=actor.id if access.is_contact(actor) else None,
        created_by_name=who,
        updated_at=now,
        updated_by_name=who,
        active_from=now,
    )
    session.add(order)
    session.flush()
    _write_lines(session, tenant, order, clean, prices)
    session.flush()
    return order


def update_standing_order(
    session,
    tenant,
    *,
    actor,
    customer,
    standing_order: StandingOrder,
    location_id,
    lines: Iterable[tuple],
    starts_on: date,
    every_weeks: int,
    ends_on: date | None,
    name: str = "",
    notes: str = "",
    now: datetime,
) -> StandingOrder:
    """Change a standing order from its next open occurrence on (placed ones stay as placed).
    Weeks already changed on their own keep their own lines."""
    authorize(tenant, actor, customer, now=now)
    if standing_order.customer_id != customer.id:
        raise NotFound("No such standing order.")
    location, clean, prices, every_weeks, name, notes = _clean(
        session,
        tenant,
        actor=actor,
        customer=customer,
        location_id=location_id,
        lines=lines,
        starts_on=starts_on,
        every_weeks=every_weeks,
        ends_on=ends_on,
        name=name,
        notes=notes,
        now=now,
        starting_changed=starts_on != standing_order.starts_on,
    )
    standing_order.location_id = location.id
    standing_order.weekday = starts_on.weekday()
    standing_order.starts_on = starts_on
    standing_order.every_weeks = every_weeks
    standing_order.ends_on = ends_on
    standing_order.name = name
    standing_order.notes = notes
    standing_order.updated_at = now
    standing_order.updated_by_name = access.actor_name(actor)[:200]
    _write_lines(session, tenant, standing_order, clean, prices)
    session.flush()
    return standing_order


def end_standing_order(session, tenant, *, actor, customer, standing_order, now) -> date:
    """End the standing order: no occurrence whose cut-off is still ahead is placed. One past
    its cut-off and waiting for the job is what the order became, so it is kept. Returns the
    new `ends_on`."""
    authorize(tenant, actor, customer, now=now)
    if standing_order.customer_id != customer.id:
        raise NotFound("No such standing order.")
    today = bakery_today(tenant, now)
    last = today + timedelta(days=21)
    ctx = load_context(session, tenant, [standing_order], first=today, last=last)
    due = [
        o.nominal_date
        for o in occurrences_between(ctx, [standing_order], first=today, last=last, now=now)
        if o.state in ("due", "generated")
    ]
    standing_order.ends_on = max(due, default=today - timedelta(days=1))
    standing_order.updated_at = now
    standing_order.updated_by_name = access.actor_name(actor)[:200]
    session.flush()
    return standing_order.ends_on


def standing_orders_of(session, *, customer_id, contact=None) -> list[StandingOrder]:
    """A customer's standing orders (within `contact`'s access level), newest first."""
    stmt = select(StandingOrder).where(StandingOrder.customer_id == customer_id)
    if contact is not None:
        stmt = stmt.where(*visible_criteria(contact))
    return list(session.scalars(stmt.order_by(StandingOrder.starts_on.desc(), StandingOrder.id)))


def lines_of(session, standing_order_ids) -> dict:
    """{standing order id: [StandingOrderLine]} in one query."""
    found: dict = {}
    ids = list(standing_order_ids)
    if not ids:
        return found
    for line in session.scalars(
        select(StandingOrderLine)
        .where(StandingOrderLine.standing_order_id.in_(ids))
        .order_by(StandingOrderLine.position)
    ):
        found.setdefault(line.standing_order_id, []).append(line)
    return found


__all__ = [
    "authorize",
    "create_standing_order",
    "end_standing_order",
    "get_standing_order",
    "live_orders",
    "lines_of",
    "standing_orders_of",
    "update_standing_order",
    "visible_criteria",
]


def form_lines(items, locale: str) -> tuple[list[tuple[str, int]], dict[str, str]]:
    """The `qty-<product id>` inputs of a posted form as ([(product id, quantity)], {product
    id: error}); empty inputs and zeros are left out."""
    from tenants.orders.quantities import parse_quantity

    lines, errors = [], {}
    for key, value in items:
        if not key.startswith("qty-") or not (value or "").strip():
            continue
        try:
            quantity = parse_quantity(value, locale)
        except ValidationFailed as exc:
            errors[key[4:]] = exc.message
            continue
        if quantity:
            lines.append((key[4:], quantity))
    return lines, errors
