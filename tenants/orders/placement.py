"""Placing an order: the one path for the portal's checkout and the staff order desk.

`place_order` validates everything before it writes anything (lines, quantities, products,
location, PO and notes, the delivery date through the calendar, the minimum order), prices the
lines in one pass of the engine and freezes each line's price, rule and tax on the order. It
then takes the bakery's next order number and writes the order, its lines and the first
timeline entry in a constant number of statements, whatever the number of lines.

A double submit (two tabs, a double tap, a retried request) carries the same idempotency key
from the form: the unique constraint on (tenant_id, idempotency_key) lets exactly one insert
win; the others find the winner's order and return it. Mail (the buyer's confirmation and the
bakery's notification) is written to the outbox in the same transaction and sent after commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from config.clock import bakery_today
from config.queue import enqueue_after_commit, safe_job_id
from tenants.customers.models import DeliveryLocation
from tenants.errors import ValidationFailed
from tenants.orders import access, notifications
from tenants.orders.calendar import check_delivery_date
from tenants.orders.errors import OpenOrderExists
from tenants.orders.models import (
    MAX_NOTES_LENGTH,
    MAX_PO_LENGTH,
    OPEN_STATUSES,
    Order,
    OrderLine,
)
from tenants.orders.numbering import next_order_number
from tenants.orders.pricing import PricedCart, orderable_products, price_lines
from tenants.orders.quantities import check_quantity
from tenants.orders.timeline import event

MAX_LINES = 500
INVOICE_ON_PLACEMENT_JOB = "jobs.invoicing.invoice_placed_order"
MAX_KEY_LENGTH = 64


@dataclass(frozen=True)
class Placement:
    """The order, and whether this call created it (False: an earlier submit of the form did)."""

    order: Order
    created: bool


def clean_lines(session, customer, lines: Iterable[tuple]) -> tuple[list, dict]:
    """[(product id, quantity)] merged per product and checked: every product orderable by
    `customer`, every quantity valid for it. Returns (lines, {id: Product})."""
    merged: dict[uuid.UUID, int] = {}
    for raw_id, quantity in lines:
        try:
            pid = uuid.UUID(str(raw_id))
        except ValueError as exc:
            raise ValidationFailed(
                gettext("A product in the order is not available."), field="lines"
            ) from exc
        merged[pid] = merged.get(pid, 0) + int(quantity)
    if not merged:
        raise ValidationFailed(gettext("Add at least one product."), field="lines")
    if len(merged) > MAX_LINES:
        raise ValidationFailed(
            gettext("An order holds at most %(num)d products.", num=MAX_LINES), field="lines"
        )
    products = orderable_products(session, customer, merged)
    for number, (pid, quantity) in enumerate(merged.items(), start=1):
        if pid not in products:
            raise ValidationFailed(
                gettext("Line %(num)d: this product is not available.", num=number), field="lines"
            )
        check_quantity(products[pid], quantity, field="lines")
    return list(merged.items()), products


def clean_text(po_number: str, notes: str) -> tuple[str, str]:
    po_number, notes = (po_number or "").strip(), (notes or "").strip()
    if len(po_number) > MAX_PO_LENGTH:
        raise ValidationFailed(
            gettext("Keep the PO number to %(num)d characters.", num=MAX_PO_LENGTH),
            field="po_number",
        )
    if len(notes) > MAX_NOTES_LENGTH:
        raise ValidationFailed(
            gettext("Keep notes to %(num)d characters.", num=MAX_NOTES_LENGTH), field="notes"
        )
    return po_number, notes


def resolve_location(session, actor, customer, location_id) -> DeliveryLocation:
    """The customer's delivery location `location_id`; a location-level contact only their own."""
    try:
        key = uuid.UUID(str(location_id))
    except ValueError as exc:
        raise ValidationFailed(gettext("Choose a delivery location."), field="location") from exc
    location = session.scalar(
        select(DeliveryLocation).where(
            DeliveryLocation.id == key, DeliveryLocation.customer_id == customer.id
        )
    )
    if location is None or (
        access.is_contact(actor) and not access.contact_may_use_location(actor, location)
    ):
        raise ValidationFailed(gettext("Choose one of your delivery locations."), field="location")
    return location


def find_open_order(session, customer, location_id, day: date, *, other_than=None):
    """The customer's open order for that delivery date and place, if there is one."""
    stmt = select(Order).where(
        Order.customer_id == customer.id,
        Order.location_id == location_id,
        Order.delivery_date == day,
        Order.status.in_(OPEN_STATUSES),
    )
    if other_than is not None:
        stmt = stmt.where(Order.id != other_than.id)
    return session.scalars(stmt.order_by(Order.number)).first()


def _by_key(session, key: str | None) -> Order | None:
    if not key:
        return None
    return session.scalar(select(Order).where(Order.idempotency_key == key))


def frozen_lines(tenant, order: Order, priced: PricedCart) -> list[OrderLine]:
    """Order lines carrying the engine's answer as it was: price, rule, source and tax."""
    return [
        OrderLine(
            tenant_id=tenant.id,
            order_id=order.id,
            product_id=line.product.id,
            position=position,
            sku=line.product.sku,
            product_name=line.product.name,
            unit=line.product.unit,
            quantity=line.quote.quantity,
            base_price_minor=line.product.base_price_minor,
            unit_price_minor=line.quote.unit_price_minor,
            line_total_minor=line.quote.line_total_minor,
            price_rule=line.quote.rule,
            price_source=line.quote.source[:120],
            price_detail=line.quote.detail[:120],
            price_list_id=line.quote.price_list_id,
            tax_rate=line.product.tax_rate,
            tax_minor=line.tax_minor,
        )
        for position, line in enumerate(priced.lines)
    ]


def set_totals(order: Order, priced: PricedCart) -> None:
    order.subtotal_minor = priced.subtotal_minor
    order.tax_minor = priced.tax_minor
    order.total_minor = priced.total_minor


def place_order(
    session,
    tenant,
    *,
    customer,
    actor,
    lines: Iterable[tuple],
    location_id,
    delivery_date: date,
    po_number: str = "",
    notes: str = "",
    idempotency_key: str | None = None,
    now: datetime,
    cutoff_override_reason: str = "",
    allow_second_order: bool = False,
    source: str | None = None,
    pay_by_card: bool = False,
) -> Placement:
    """Place an order for `customer` by `actor` (a contact at checkout, staff at the desk, or
    None for the system). Raises a DomainError, having written nothing, for any refusal.

    Staff may give `cutoff_override_reason` to take an order past its cut-off (recorded on the
    timeline with who and why); a buyer never can. An open order for the same day and place
    raises OpenOrderExists unless `allow_second_order`.

    `pay_by_card` (billing's card-now checkout) places the order "awaiting payment": it tells
    nobody and is not invoiced by the placement job; `tenants.orders.prepaid` settles it once
    the card payment arrives, or releases it.
    """
    key = (idempotency_key or "").strip() or None
    if key and len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(gettext("This form is out of date; reload the page."), field="form")
    access.authorize(tenant, actor, customer, "create_orders", now=now)
    earlier = _by_key(session, key)
    if earlier is not None:
        return _replayed(earlier, customer)
    override = (cutoff_override_reason or "").strip()
    # The system takes a standing order at its cut-off (the job runs just after it); nobody
    # else but the bakery's staff may take an order past the cut-off.
    system_at_cutoff = access.is_system(actor) and source == "standing_order"
    if override and (
        access.is_contact(actor) or (access.is_system(actor) and not system_at_cutoff)
    ):
        raise ValidationFailed(
            gettext("Only the bakery can take an order past its cut-off."), field="form"
        )
    location = resolve_location(session, actor, customer, location_id)
    po_number, notes = clean_text(po_number, notes)
    clean, products = clean_lines(session, customer, lines)
    option = check_delivery_date(
        session,
        tenant,
        customer=customer,
        product_ids=products,
        day=delivery_date,
        now=now,
        override_cutoff=bool(override),
    )
    priced = price_lines(
        session,
        tenant,
        customer=customer,
        products=products,
        lines=clean,
        on=bakery_today(tenant, now),
    )
    if access.is_contact(actor) and not priced.meets_minimum:
        raise ValidationFailed(
            gettext("Your order is below your minimum order value."), field="lines"
        )
    duplicate = find_open_order(session, customer, location.id, delivery_date)
    if duplicate is not None and key and duplicate.idempotency_key == key:
        return _replayed(duplicate, customer)  # the same form, committed meanwhile
    if duplicate is not None and not allow_second_order:
        raise OpenOrderExists(duplicate)

    try:
        with session.begin_nested():
            order = Order(
                tenant_id=tenant.id,
                number=next_order_number(session, tenant, now=now),
                customer_id=customer.id,
                location_id=location.id,
                placed_by_contact_id=actor.id if access.is_contact(actor) else None,
                placed_by_staff_id=actor.id
                if actor is not None and not access.is_contact(actor)
                else None,
                placed_by_name=access.actor_name(actor)[:200],
                source=source or ("wholesale_portal" if access.is_contact(actor) else "staff"),
                status="awaiting_payment" if pay_by_card else first_status(tenant, customer),
                payment_method="card" if pay_by_card else "account",
                delivery_date=delivery_date,
                po_number=po_number,
                notes=notes,
                currency=tenant.currency,
                idempotency_key=key,
                version=1,
                placed_at=now,
                updated_at=now,
                updated_by_name=access.actor_name(actor)[:200],
            )
            set_totals(order, priced)
            session.add(order)
            session.flush()
    except IntegrityError:
        # Another submit of the same form won the race; its order is the answer.
        earlier = _by_key(session, key)
        if earlier is None:
            raise
        return _replayed(earlier, customer)

    events = [event(tenant, order, actor, "placed", now, to_status=order.status)]
    if not option.orderable:
        events.append(event(tenant, order, actor, "cutoff_override", now, note=override[:1000]))
    if duplicate is not None:
        events.append(
            event(
                tenant,
                order,
                actor,
                "note",
                now,
                note=f"Possible duplicate of order {duplicate.number} (same day and place).",
            )
        )
    order_lines = frozen_lines(tenant, order, priced)
    session.add_all(order_lines + events)
    session.flush()
    if pay_by_card:
        return Placement(order, True)  # its news waits for the money (prepaid.settle_prepaid)
    notifications.order_placed(
        session,
        tenant,
        order=order,
        customer=customer,
        lines=order_lines,
        location=location,
        actor=actor,
        now=now,
    )
    # Billing decides (by the bakery's invoicing mode) whether the order is invoiced now.
    enqueue_after_commit(
        session,
        INVOICE_ON_PLACEMENT_JOB,
        str(tenant.id),
        str(order.id),
        job_id=safe_job_id("invoice-placed", order.id),
    )
    return Placement(order, True)


def first_status(tenant, customer) -> str:
    """Where a placed (or, by card, paid) order starts: review first if the bakery asks."""
    if tenant.order_approval_required or customer.order_approval_required:
        return "pending_review"
    return "confirmed"


def _replayed(order: Order, customer) -> Placement:
    if order.customer_id != customer.id:
        # Keys are random per form; one reused across accounts is a forged form.
        raise ValidationFailed(gettext("This form is out of date; reload the page."), field="form")
    return Placement(order, False)
