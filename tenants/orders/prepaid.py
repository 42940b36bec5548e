"""Orders paid by card at checkout: settled once the money arrives, or released unpaid.

An order placed with `pay_by_card` waits in "awaiting payment": not on the production sheet,
not in the review queue, no emails. Billing (which knows about invoices and Stripe) calls one
of the two functions here when the payment's outcome is known. Each moves the order out of
"awaiting payment" with a compare-and-set on the status, so a webhook delivered twice, the
buyer's return from Checkout and the hourly sweep racing each other settle an order exactly
once, and an order cannot be both settled and released.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select, update

from tenants.customers.models import Contact, Customer, DeliveryLocation
from tenants.orders import notifications
from tenants.orders.cart import find_cart
from tenants.orders.models import Cart, CartLine, Order, OrderLine
from tenants.orders.placement import first_status
from tenants.orders.timeline import event

AWAITING = "awaiting_payment"


def _claim(session, order_id, to: str, now: datetime) -> Order | None:
    """Move the order from "awaiting payment" to `to` if nobody has yet; the order, or None."""
    claimed = session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == AWAITING)
        .values(
            status=to,
            version=Order.version + 1,
            updated_at=now,
            updated_by_name="the system",
        )
        .returning(Order.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if claimed is None:
        return None
    order = session.scalar(select(Order).where(Order.id == order_id))
    session.refresh(order)
    return order


def settle_prepaid(session, tenant, *, order_id, now: datetime) -> Order | None:
    """The card payment for the order arrived: it is placed for real (confirmed, or waiting
    for review where the bakery reviews orders), the buyer and the bakery are told, and the
    cart it came from is emptied if the buyer has not touched it since. Returns the order if
    this call settled it, None if it was not awaiting payment (settled or released before)."""
    order = session.scalar(select(Order).where(Order.id == order_id))
    if order is None:
        return None
    customer = session.scalar(select(Customer).where(Customer.id == order.customer_id))
    order = _claim(session, order_id, first_status(tenant, customer), now)
    if order is None:
        return None
    session.add(
        event(
            tenant,
            order,
            None,
            "status",
            now,
            from_status=AWAITING,
            to_status=order.status,
            note=gettext("Paid by card."),
        )
    )
    lines = list(
        session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.position)
        )
    )
    location = session.scalar(
        select(DeliveryLocation).where(DeliveryLocation.id == order.location_id)
    )
    placer = _placer(session, order)
    _empty_cart_if_untouched(session, placer, order)
    session.flush()
    notifications.order_placed(
        session,
        tenant,
        order=order,
        customer=customer,
        lines=lines,
        location=location,
        actor=placer,
        now=now,
    )
    return order


def release_unpaid(session, tenant, *, order_id, reason: str, now: datetime) -> Order | None:
    """The card payment will not come (the buyer cancelled or left Checkout until it expired):
    the order is cancelled with `reason` on its timeline. Nothing was baked or announced, so
    nobody is emailed. Returns the order if this call released it, else None."""
    order = _claim(session, order_id, "cancelled", now)
    if order is None:
        return None
    session.add(
        event(
            tenant,
            order,
            None,
            "status",
            now,
            from_status=AWAITING,
            to_status="cancelled",
            note=reason[:1000],
        )
    )
    session.flush()
    return order


def awaiting_orders(session, *, placed_before: datetime) -> list[Order]:
    """The bound bakery's orders still awaiting their card payment, placed before a time."""
    return list(
        session.scalars(
            select(Order)
            .where(Order.status == AWAITING, Order.placed_at < placed_before)
            .order_by(Order.placed_at)
        )
    )


def _placer(session, order: Order):
    if order.placed_by_contact_id is None:
        return None
    return session.scalar(select(Contact).where(Contact.id == order.placed_by_contact_id))


def _empty_cart_if_untouched(session, contact, order: Order) -> None:
    """The cart the order was placed from stays full until the money arrives (an abandoned
    payment loses nothing); once paid, it is emptied unless the buyer changed it since."""
    if contact is None:
        return
    cart: Cart | None = find_cart(session, contact)
    if cart is None or (cart.updated_at is not None and cart.updated_at > order.placed_at):
        return
    for line in session.scalars(select(CartLine).where(CartLine.cart_id == cart.id)):
        session.delete(line)
