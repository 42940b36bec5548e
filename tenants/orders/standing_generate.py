"""Turning occurrences into orders at their cut-off, and the preview before it.

`generate_due` places every occurrence whose cut-off has passed and that is still scheduled,
through `placement.place_order` (the portal's own path: the engine prices it at that moment,
the calendar checks the date, the number comes from the bakery's sequence), as source
`standing_order`. Each occurrence is claimed first with a compare-and-set on its row, keyed
uniquely on (tenant, standing order, date): however often the job runs, and however many
workers run it at once, one order per occurrence.

What the check found (items left out, price changes, a minimum shortfall, a closure move) is
stored on the occurrence, noted on the order's timeline and mailed to the buyers. An occurrence
that cannot be placed (every item unavailable, the day closed) is marked `failed`: a "needs
attention" item for staff and the buyer until someone resolves it.

`send_previews` mails each open occurrence's buyers a preview `preview_days` before its cut-off,
with a one-click skip link (see `standing_skip`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from config.clock import bakery_today
from config.formatting import format_datetime
from tenants.customers.models import Contact, DeliveryLocation
from tenants.customers.permissions import can, visible_location_filter
from tenants.errors import DomainError
from tenants.orders.placement import place_order
from tenants.orders.standing import last_prices
from tenants.orders.standing_check import check, day_text, describe
from tenants.orders.standing_models import StandingOccurrence, StandingOrderLine
from tenants.orders.standing_schedule import (
    due_at,
    live_orders,
    load_context,
    occurrences_between,
)
from tenants.orders.standing_weeks import ensure_row
from tenants.orders.timeline import event
from tenants.outbox import queue_email, token_link
from tenants.plans import has_feature

SKIP_PURPOSE = "standing_skip"
SKIP_NAMESPACE = uuid.UUID("6f1d7c3e-5b0a-4c4e-9a51-2f3b9e8d7a10")
# Cut-offs are at most 14 days before delivery, and a closure moves a delivery back up to 6.
LOOK_BACK, LOOK_AHEAD = timedelta(days=14), timedelta(days=21)
OVERRIDE_NOTE = "Standing order, placed at its cut-off."


@dataclass
class Generated:
    """What one run did, for logs and tests."""

    placed: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def skip_subject(occurrence_id, contact_id) -> uuid.UUID:
    """The token subject of one buyer's skip link for one occurrence (each buyer's link is
    their own, so mailing the next buyer does not revoke the previous one's)."""
    return uuid.uuid5(SKIP_NAMESPACE, f"{occurrence_id}/{contact_id}")


def recipients(session, customer, location_id) -> list[Contact]:
    """The customer's active buyers who may order for that location (their access level)."""
    if not customer.portal_enabled:
        return []
    contacts = session.scalars(
        select(Contact)
        .where(Contact.customer_id == customer.id, Contact.status == "active")
        .order_by(Contact.email)
    )
    chosen = []
    for contact in contacts:
        scope = visible_location_filter(contact)
        if scope.nothing or (scope.location_id not in (None, location_id)):
            continue
        if can(contact, customer, "create_orders"):
            chosen.append(contact)
    return chosen


def _window(tenant, now):
    today = bakery_today(tenant, now)
    return today - LOOK_BACK, today + LOOK_AHEAD


def generate_due(session, tenant, *, now: datetime) -> Generated:
    """Place every occurrence past its cut-off and still scheduled; see the module docstring."""
    result = Generated()
    if tenant.is_suspended or not has_feature(tenant, "standing_orders", now=now):
        return result
    first, last = _window(tenant, now)
    orders = live_orders(session, first=first, last=last)
    ctx = load_context(session, tenant, orders, first=first, last=last)
    for occ in occurrences_between(ctx, orders, first=first, last=last, now=now):
        if occ.state != "due" or occ.due_at < occ.standing_order.active_from:
            continue
        row = ensure_row(session, tenant, occ.standing_order_id, occ.nominal_date, now=now)
        claimed = session.execute(
            update(StandingOccurrence)
            .where(StandingOccurrence.id == row.id, StandingOccurrence.status == "scheduled")
            .values(status="generated", generated_at=now)
            .returning(StandingOccurrence.id)
            .execution_options(synchronize_session=False)
        ).scalar()
        if claimed is None:
            continue  # skipped meanwhile, or another run placed it
        session.refresh(row)
        customer = ctx.customers[occ.standing_order.customer_id]
        _place(session, tenant, ctx, occ, row, customer, now, result)
    session.flush()
    return result


def _refusal(customer) -> str:
    if customer.status != "active":
        return f"{customer.display_name} is {customer.status}; nothing was placed."
    if not customer.standing_orders_allowed:
        return "Standing orders are switched off for this customer; nothing was placed."
    return ""


def _place(session, tenant, ctx, occ, row, customer, now, result: Generated) -> None:
    checked = check(
        session, tenant, occ, customer=customer, now=now, last_prices=last_prices(ctx, occ)
    )
    row.problems = list(checked.problems)
    failure = _refusal(customer)
    if not failure and not checked.placeable:
        failure = "Nothing on it could be placed."
    order = None
    if not failure:
        try:
            with session.begin_nested():
                order = place_order(
                    session,
                    tenant,
                    customer=customer,
                    actor=None,
                    lines=checked.lines,
                    location_id=occ.standing_order.location_id,
                    delivery_date=occ.delivery_date,
                    notes=occ.standing_order.notes,
                    idempotency_key=f"standing-{row.id}",
                    now=now,
                    cutoff_override_reason=OVERRIDE_NOTE,
                    allow_second_order=True,
                    source="standing_order",
                ).order
        except DomainError as exc:
            failure = str(exc.message if hasattr(exc, "message") else exc)
    if failure:
        row.status, row.failure = "failed", failure[:2000]
        result.failed.append(row)
    else:
        row.order_id, row.placed_on = order.id, occ.delivery_date
        _note_on_order(session, tenant, order, checked.problems, now)
        _remember_prices(session, ctx, occ, checked)
        result.placed.append(row)
    session.flush()
    _tell_buyers(session, tenant, occ, row, customer, order, checked, now)


def _note_on_order(session, tenant, order, problems, now) -> None:
    if problems:
        text = "From a standing order. " + " ".join(describe(p, tenant) for p in problems)
        session.add(event(tenant, order, None, "note", now, note=text[:1000]))


def _remember_prices(session, ctx, occ, checked) -> None:
    """The buyer has now been told these prices: the next change is measured from them. Only
    lines whose price moved are written, in one statement."""
    if checked.priced is None:
        return
    placed = {line.product.id: line.quote.unit_price_minor for line in checked.priced.lines}
    changed = [
        {
            "tenant_id": line.tenant_id,
            "id": line.id,
            "last_unit_price_minor": placed[line.product_id],
        }
        for line in ctx.lines.get(occ.standing_order_id, [])
        if line.product_id in placed and line.last_unit_price_minor != placed[line.product_id]
    ]
    if changed:
        session.execute(update(StandingOrderLine), changed)


def _location(session, location_id):
    return session.scalar(select(DeliveryLocation).where(DeliveryLocation.id == location_id))


def _lines_context(checked) -> list[dict]:
    if checked.priced is None:
        return []
    return [
        {
            "name": line.product.name,
            "quantity": line.quantity,
            "unit": line.product.unit,
            "unit_price_minor": line.quote.unit_price_minor,
            "line_total_minor": line.quote.line_total_minor,
        }
        for line in checked.priced.lines
    ]


def _context(tenant, occ, location, checked) -> dict:
    day = occ.delivery_date or occ.nominal_date
    return {
        "standing_order_id": str(occ.standing_order_id),
        "name": occ.standing_order.name,
        "delivery_date": day.isoformat(),
        "delivery_text": day_text(day, tenant),
        "nominal_date": occ.nominal_date.isoformat(),
        "weekday": day.weekday(),
        "location": location.name if location else "",
        "lines": _lines_context(checked),
        "problems": list(checked.problems),
        "total_minor": checked.priced.total_minor if checked.priced else 0,
        "cutoff_text": format_datetime(occ.cutoff_at, tenant) if occ.cutoff_at else "",
        "portal_path": f"/wholesale/{tenant.slug}/standing/{occ.standing_order_id}",
    }


def _tell_buyers(session, tenant, occ, row, customer, order, checked, now) -> None:
    location = _location(session, occ.standing_order.location_id)
    context = _context(tenant, occ, location, checked)
    context.update(
        placed=order is not None,
        number=order.number if order else None,
        order_path=f"/wholesale/{tenant.slug}/orders/{order.id}" if order else "",
        failure=row.failure,
    )
    for contact in recipients(session, customer, occ.standing_order.location_id):
        queue_email(
            session,
            tenant,
            to_email=contact.email,
            to_name=contact.name,
            template="standing_order_placed",
            context=context,
            now=now,
        )


def send_previews(session, tenant, *, now: datetime) -> int:
    """Mail each open occurrence's buyers its preview once, `preview_days` before its cut-off
    (closure-skipped weeks too, so the buyer hears of them). Returns how many occurrences."""
    if tenant.is_suspended or not has_feature(tenant, "standing_orders", now=now):
        return 0
    first, last = _window(tenant, now)
    orders = live_orders(session, first=first, last=last)
    ctx = load_context(session, tenant, orders, first=first, last=last)
    if ctx.preview_days <= 0:
        return 0
    lead = timedelta(days=ctx.preview_days)
    sent = 0
    for occ in occurrences_between(ctx, orders, first=first, last=last, now=now):
        if occ.state not in ("open", "closed"):
            continue
        # A week the closure skips has no delivery day: it is previewed as its own date would be.
        at = occ.due_at or due_at(ctx.schedule, occ.nominal_date)
        if not (at - lead <= now < at) or (occ.row is not None and occ.row.preview_sent_at):
            continue
        customer = ctx.customers[occ.standing_order.customer_id]
        if customer.status != "active" or not customer.standing_orders_allowed:
            continue
        row = ensure_row(session, tenant, occ.standing_order_id, occ.nominal_date, now=now)
        claimed = session.execute(
            update(StandingOccurrence)
            .where(StandingOccurrence.id == row.id, StandingOccurrence.preview_sent_at.is_(None))
            .values(preview_sent_at=now)
            .returning(StandingOccurrence.id)
            .execution_options(synchronize_session=False)
        ).scalar()
        if claimed is None:
            continue
        _preview(session, tenant, ctx, occ, row, customer, at, now)
        sent += 1
    session.flush()
    return sent


def _preview(session, tenant, ctx, occ, row, customer, at, now) -> None:
    checked = check(
        session, tenant, occ, customer=customer, now=now, last_prices=last_prices(ctx, occ)
    )
    location = _location(session, occ.standing_order.location_id)
    context = _context(tenant, occ, location, checked)
    context["closed"] = occ.state == "closed"
    ttl = max(at - now, timedelta(hours=1))
    for contact in recipients(session, customer, occ.standing_order.location_id):
        link = None
        if occ.state == "open":
            link = token_link(
                purpose=SKIP_PURPOSE,
                subject_id=skip_subject(row.id, contact.id),
                ttl=ttl,
                path=f"/wholesale/{tenant.slug}/standing/skip/{row.id}/{contact.id}/{{token}}",
            )
        queue_email(
            session,
            tenant,
            to_email=contact.email,
            to_name=contact.name,
            template="standing_order_preview",
            context=context,
            token_link=link,
            category="reminders",
            now=now,
        )


def needs_attention(session, *, customer_id=None, contact=None) -> list:
    """Occurrences that could not be placed and nobody resolved yet, newest first, with their
    standing order: [(StandingOccurrence, StandingOrder)]. Two queries at most."""
    from tenants.orders.standing_edit import visible_criteria
    from tenants.orders.standing_models import StandingOrder

    stmt = (
        select(StandingOccurrence, StandingOrder)
        .join(
            StandingOrder,
            (StandingOrder.id == StandingOccurrence.standing_order_id)
            & (StandingOrder.tenant_id == StandingOccurrence.tenant_id),
        )
        .where(StandingOccurrence.status == "failed", StandingOccurrence.resolved_at.is_(None))
    )
    if customer_id is not None:
        stmt = stmt.where(StandingOrder.customer_id == customer_id)
    if contact is not None:
        stmt = stmt.where(*visible_criteria(contact))
    stmt = stmt.order_by(StandingOccurrence.delivery_date.desc(), StandingOccurrence.id)
    return list(session.execute(stmt).all())


def resolve_attention(session, tenant, *, actor, occurrence_id, now) -> StandingOccurrence:
    """Staff mark a failed occurrence as dealt with (e.g. they phoned the customer)."""
    from tenants.actors import require
    from tenants.lookup import get_by_id

    require(actor, "orders")
    row = get_by_id(
        session,
        StandingOccurrence,
        occurrence_id,
        missing="No such item.",
        where=[StandingOccurrence.status == "failed", StandingOccurrence.resolved_at.is_(None)],
    )
    row.resolved_at = now
    row.resolved_by_name = getattr(actor, "name", "")[:200]
    session.flush()
    return row
