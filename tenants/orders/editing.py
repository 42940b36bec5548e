"""Changing or cancelling an open order, through the same rules as placing it.

A buyer (with `edit_orders`, and seeing the order at their access level) may change or cancel
an order while it is open and before its delivery date's cut-off; staff (`orders`) may also after
the cut-off with a recorded reason. A changed date must be orderable for the new lines.

Lines whose product and quantity are unchanged keep their frozen price; new or changed lines
are priced by the engine at today's prices (one pass). Every save is a compare-and-set on the
order's version: a form loaded before someone else's save gets OrderConflict naming them.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import delete, select

from config.clock import bakery_today
from tenants.customers.models import Customer
from tenants.errors import NotFound, ValidationFailed
from tenants.orders import access
from tenants.orders.calendar import check_delivery_date, day_option
from tenants.orders.errors import DateNotOrderable
from tenants.orders.models import Order, OrderLine
from tenants.orders.placement import (
    clean_lines,
    clean_text,
    find_open_order,
    frozen_lines,
)
from tenants.orders.pricing import price_lines, tax_of
from tenants.orders.states import claim_version, record_status
from tenants.orders.timeline import event


def _customer(session, order: Order) -> Customer:
    return session.scalar(select(Customer).where(Customer.id == order.customer_id))


def _authorize_change(tenant, actor, customer, order: Order, *, now) -> None:
    access.authorize(tenant, actor, customer, "edit_orders", now=now)
    if access.is_contact(actor) and not access.contact_sees(actor, order):
        raise NotFound("No such order.")
    if not order.is_open:
        raise ValidationFailed(
            gettext(
                "This order is %(status)s and can no longer be changed.",
                status=order.status_label.lower(),
            ),
            field="form",
        )
    if access.is_contact(actor) and order.payment_method == "card":
        raise ValidationFailed(card_paid_message(), field="form")


def card_paid_message() -> str:
    """Why a buyer cannot change an order paid by card (in the page's language): the bakery
    changes it, and refunds or invoices the difference."""
    return gettext("This order was paid by card; ask the bakery to change it.")


def _override_reason(actor, reason: str) -> str:
    reason = (reason or "").strip()
    if reason and (access.is_system(actor) or access.is_contact(actor)):
        raise ValidationFailed(
            gettext("Only the bakery can change an order past its cut-off."), field="form"
        )
    return reason


def _require_before_cutoff(session, tenant, customer, day: date, *, now, reason: str) -> bool:
    """Raise unless changes to an order for `day` are still open (only the cut-off counts
    here: a closure announced later must not stop a buyer cancelling). True when a staff
    override (`reason`) let a passed cut-off through."""
    option = day_option(session, tenant, customer=customer, day=day, now=now)
    passed = [r for r in option.refusals if r.code in ("past_cutoff", "past")]
    if not passed:
        return False
    if reason and all(r.code == "past_cutoff" for r in passed):
        return True
    raise DateNotOrderable(" ".join(r.message for r in passed), passed)


def edit_order(
    session,
    tenant,
    *,
    actor,
    order: Order,
    expected_version: int,
    lines,
    delivery_date: date | None = None,
    po_number: str | None = None,
    notes: str | None = None,
    now: datetime,
    cutoff_override_reason: str = "",
) -> Order:
    """Replace `order`'s lines (and optionally date, PO, notes) as `actor`."""
    customer = _customer(session, order)
    _authorize_change(tenant, actor, customer, order, now=now)
    clean, products = clean_lines(session, customer, lines)
    po, text = clean_text(
        order.po_number if po_number is None else po_number,
        order.notes if notes is None else notes,
    )
    day = delivery_date or order.delivery_date
    reason = _override_reason(actor, cutoff_override_reason)
    # The order's current date must still be open (its cut-off governs any change) ...
    overridden = _require_before_cutoff(
        session, tenant, customer, order.delivery_date, now=now, reason=reason
    )
    # ... and the date it ends up on must take these lines, like a new order would.
    target = check_delivery_date(
        session,
        tenant,
        customer=customer,
        product_ids=products,
        day=day,
        now=now,
        override_cutoff=bool(reason),
    )
    if day != order.delivery_date and find_open_order(
        session, customer, order.location_id, day, other_than=order
    ):
        raise ValidationFailed(
            gettext("You already have an open order for that day and place."),
            field="delivery_date",
        )

    existing = {
        line.product_id: line
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order.id))
    }
    changed = [
        (pid, qty) for pid, qty in clean if pid not in existing or existing[pid].quantity != qty
    ]
    priced = price_lines(
        session,
        tenant,
        customer=customer,
        products=products,
        lines=changed,
        on=bakery_today(tenant, now),
    )
    claim_version(session, tenant, order, expected_version, actor=actor, now=now)

    kept = {pid for pid, qty in clean if (pid, qty) not in changed}
    dropped = delete(OrderLine).where(OrderLine.order_id == order.id)
    if kept:
        dropped = dropped.where(OrderLine.product_id.not_in(kept))
    session.execute(dropped.execution_options(synchronize_session=False))
    new_lines = frozen_lines(tenant, order, priced)
    position = {pid: n for n, (pid, _) in enumerate(clean)}
    for line in new_lines:
        line.position = position[line.product_id]
    for pid in kept:
        existing[pid].position = position[pid]
    session.add_all(new_lines)

    all_lines = [existing[pid] for pid in kept] + new_lines
    order.subtotal_minor = sum(line.line_total_minor for line in all_lines)
    order.tax_minor = sum(tax_of(line.line_total_minor, line.tax_rate) for line in all_lines)
    order.total_minor = order.subtotal_minor + order.tax_minor
    summary = _describe_changes(existing, dict(clean), products, order, day, po, text)
    order.delivery_date, order.po_number, order.notes = day, po, text
    entries = [event(tenant, order, actor, "edited", now, note=summary)]
    if overridden or not target.orderable:
        entries.append(event(tenant, order, actor, "cutoff_override", now, note=reason))
    session.add_all(entries)
    session.flush()
    return order


def _describe_changes(existing, wanted: dict, products, order, day, po, notes) -> str:
    parts = []
    for pid, line in existing.items():
        if pid not in wanted:
            parts.append(f"removed {line.product_name}")
        elif wanted[pid] != line.quantity:
            parts.append(f"{line.product_name} {line.quantity} → {wanted[pid]}")
    for pid, qty in wanted.items():
        if pid not in existing:
            parts.append(f"added {qty} {products[pid].name}")
    if day != order.delivery_date:
        parts.append(f"delivery {order.delivery_date.isoformat()} → {day.isoformat()}")
    if po != order.po_number:
        parts.append("PO number changed")
    if notes != order.notes:
        parts.append("notes changed")
    return "; ".join(parts) or "saved without changes"


def cancel_order(
    session,
    tenant,
    *,
    actor,
    order: Order,
    expected_version: int,
    reason: str = "",
    now: datetime,
    cutoff_override_reason: str = "",
) -> Order:
    """Cancel an open order before its cut-off (staff: also after, with a reason)."""
    customer = _customer(session, order)
    _authorize_change(tenant, actor, customer, order, now=now)
    reason_past = _override_reason(actor, cutoff_override_reason)
    overridden = _require_before_cutoff(
        session, tenant, customer, order.delivery_date, now=now, reason=reason_past
    )
    claim_version(session, tenant, order, expected_version, actor=actor, now=now)
    record_status(
        session, tenant, order, "cancelled", actor=actor, now=now, note=(reason or "").strip()
    )
    if overridden:
        session.add(event(tenant, order, actor, "cutoff_override", now, note=reason_past))
    session.flush()
    return order


def change_refusal(session, tenant, *, customer, order: Order, now: datetime) -> str | None:
    """Why a buyer can no longer change or cancel `order` (its status, or its cut-off has
    passed), or None while they still can. Pages show it instead of the buttons."""
    if not order.is_open:
        return gettext(
            "This order is %(status)s and can no longer be changed.",
            status=order.status_label.lower(),
        )
    if order.payment_method == "card":
        return gettext("This order was paid by card.")
    option = day_option(session, tenant, customer=customer, day=order.delivery_date, now=now)
    passed = [r.message for r in option.refusals if r.code in ("past_cutoff", "past")]
    return " ".join(passed) or None
