"""Standing orders: what other parts of the app ask of them.

- `projected_lines(session, tenant, day)`: the products occurrences not yet placed will order
  for delivery on `day` (per-week changes and closure moves applied; skipped, paused and
  closed weeks left out), for the production sheet's "projected" rows;
- `coming_occurrence(session, tenant, customer, now=)`: a customer's next occurrence not yet
  placed, with its lines and problems, for the weekly reminder;
- `coming_occurrences(...)`: the occurrences of the next weeks, for the portal and back office.

The rules live beside this module: `standing_models` (tables), `standing_schedule` (dates and
states), `standing_check` (problems), `standing_edit` (create, change, end), `standing_weeks`
(skip, one week's lines, pause), `standing_generate` (placing at the cut-off, previews).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from config.clock import bakery_today, utcnow
from tenants.orders.standing_check import check
from tenants.orders.standing_models import StandingOrder
from tenants.orders.standing_schedule import (
    MOVE_BACK_DAYS,
    Occurrence,
    live_orders,
    load_context,
    occurrences_between,
)

PORTAL_WEEKS = 6


@dataclass(frozen=True)
class ProjectedLine:
    """One product a standing-order occurrence will order for a delivery date."""

    product_id: uuid.UUID
    quantity: int
    customer_id: uuid.UUID
    location_id: uuid.UUID
    standing_order_id: uuid.UUID


@dataclass(frozen=True)
class ComingOccurrence:
    """A customer's next occurrence not yet placed: when, where, what, and its problems."""

    standing_order_id: uuid.UUID
    delivery_date: date
    nominal_date: date
    location_id: uuid.UUID
    cutoff_at: datetime | None
    lines: tuple[tuple[uuid.UUID, int], ...]
    problems: tuple[dict, ...]


def projected_lines(session, tenant, delivery_date: date) -> list[ProjectedLine]:
    """Lines of occurrences delivering on `delivery_date` that are not yet orders and will be
    (not skipped, paused or closed). A constant number of queries, whatever the count."""
    # A closure can move a delivery up to MOVE_BACK_DAYS earlier: look that far ahead.
    first, last = delivery_date, delivery_date + timedelta(days=MOVE_BACK_DAYS)
    orders = live_orders(session, first=first, last=last)
    ctx = load_context(session, tenant, orders, first=first, last=last)
    # Open and due (past the cut-off, the job not yet run) both still count: any clock will do.
    found = occurrences_between(ctx, orders, first=first, last=last, now=utcnow())
    return [
        ProjectedLine(
            pid,
            qty,
            o.standing_order.customer_id,
            o.standing_order.location_id,
            o.standing_order_id,
        )
        for o in found
        if o.delivery_date == delivery_date
        and o.state in ("open", "due")
        and ctx.customers[o.standing_order.customer_id].status == "active"
        for pid, qty in o.lines
    ]


def coming_occurrences(
    session,
    tenant,
    *,
    now: datetime,
    weeks: int = PORTAL_WEEKS,
    customer_id=None,
    where=(),
    orders: list[StandingOrder] | None = None,
) -> list[Occurrence]:
    """Occurrences scheduled from the bakery's today for `weeks` weeks (of one customer's, or
    the given standing orders), in date order: placed ones included, so people see all."""
    today = bakery_today(tenant, now)
    last = today + timedelta(days=7 * weeks - 1)
    if orders is None:
        orders = live_orders(session, first=today, last=last, customer_id=customer_id, where=where)
    ctx = load_context(session, tenant, orders, first=today, last=last)
    return occurrences_between(ctx, orders, first=today, last=last, now=now)


def coming_occurrence(session, tenant, customer, *, now: datetime) -> ComingOccurrence | None:
    """`customer`'s next occurrence that is still to be placed (open, before its cut-off), with
    its problems as the preview reports them; None when it has none in the coming weeks."""
    today = bakery_today(tenant, now)
    last = today + timedelta(days=7 * PORTAL_WEEKS - 1)
    orders = live_orders(session, first=today, last=last, customer_id=customer.id)
    ctx = load_context(session, tenant, orders, first=today, last=last)
    for occ in occurrences_between(ctx, orders, first=today, last=last, now=now):
        if occ.state != "open":
            continue
        checked = check(
            session, tenant, occ, customer=customer, now=now, last_prices=last_prices(ctx, occ)
        )
        return ComingOccurrence(
            standing_order_id=occ.standing_order_id,
            delivery_date=occ.delivery_date,
            nominal_date=occ.nominal_date,
            location_id=occ.standing_order.location_id,
            cutoff_at=occ.cutoff_at,
            lines=occ.lines,
            problems=checked.problems,
        )
    return None


def last_prices(ctx, occ: Occurrence) -> dict:
    """{product id: the unit price the buyer last saw} for the occurrence's standing order."""
    return {
        line.product_id: line.last_unit_price_minor
        for line in ctx.lines.get(occ.standing_order_id, [])
    }
