"""Checkout for a buyer: what the page offers (the priced cart, the calendar, the locations the
contact may use, the next cut-off) and placing the cart as an order through `place_order`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tenants.customers.locations import list_locations
from tenants.orders.calendar import Calendar, countdown_text, delivery_calendar, next_cutoff
from tenants.orders.cart import CartView, cart_lines, clear_cart, find_cart, view_cart
from tenants.orders.editing import edit_order
from tenants.orders.placement import Placement, place_order
from tenants.orders.queries import get_order_for_contact, order_lines


@dataclass(frozen=True)
class CheckoutPage:
    cart: CartView
    calendar: Calendar
    locations: list
    countdown: str | None
    next_cutoff: object | None  # the DayOption whose cut-off comes next (for the live refresh)


def checkout_page(session, tenant, *, contact, customer, now: datetime) -> CheckoutPage:
    """Everything the cart and checkout pages show, in a constant number of queries."""
    cart = view_cart(session, tenant, contact=contact, customer=customer, now=now)
    calendar = delivery_calendar(
        session,
        tenant,
        customer=customer,
        product_ids=[line.product.id for line in cart.priced.lines],
        now=now,
    )
    upcoming = next_cutoff(calendar, now)
    return CheckoutPage(
        cart,
        calendar,
        list_locations(session, customer, viewer=contact),
        countdown_text(upcoming, now) if upcoming else None,
        upcoming,
    )


def checkout(
    session,
    tenant,
    *,
    contact,
    customer,
    location_id,
    delivery_date: date,
    po_number: str,
    notes: str,
    idempotency_key: str,
    allow_second_order: bool = False,
    pay_by_card: bool = False,
    now: datetime,
) -> Placement:
    """Place the contact's cart as an order and empty the cart. A resubmitted form (same key)
    returns the order the first submit placed, even though the cart is empty by then.

    `pay_by_card` places it awaiting its card payment and keeps the cart: it is emptied when
    the money arrives (`prepaid.settle_prepaid`), so an abandoned payment loses nothing."""
    lines = [
        (line.product_id, line.quantity)
        for line in cart_lines(session, find_cart(session, contact))
    ]
    placement = place_order(
        session,
        tenant,
        customer=customer,
        actor=contact,
        lines=lines,
        location_id=location_id,
        delivery_date=delivery_date,
        po_number=po_number,
        notes=notes,
        idempotency_key=idempotency_key,
        allow_second_order=allow_second_order,
        now=now,
        pay_by_card=pay_by_card,
    )
    if placement.created and not pay_by_card:
        clear_cart(session, contact)
    return placement


def add_cart_to_order(
    session, tenant, *, contact, customer, order_id, expected_version: int, now: datetime
):
    """Add the cart's quantities to an open order (instead of placing a second one for the same
    day and place), through the edit rules: permission, cut-off, versions. Empties the cart."""
    order = get_order_for_contact(session, contact, order_id)
    wanted = {line.product_id: line.quantity for line in order_lines(session, order)}
    for line in cart_lines(session, find_cart(session, contact)):
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    edit_order(
        session,
        tenant,
        actor=contact,
        order=order,
        expected_version=expected_version,
        lines=list(wanted.items()),
        now=now,
    )
    clear_cart(session, contact)
    return order
