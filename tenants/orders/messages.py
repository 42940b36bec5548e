"""'Ask the bakery': a buyer's message about an order (say, a change after the cut-off). It goes
on the order's timeline, where staff see it, and by email to the bakery."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tenants.customers.models import Customer
from tenants.errors import NotFound, ValidationFailed
from tenants.orders import access, notifications
from tenants.orders.models import Order
from tenants.orders.queries import order_lines, order_location
from tenants.orders.timeline import event

MAX_MESSAGE_LENGTH = 1000


def ask_bakery(session, tenant, *, contact, order: Order, message: str, now: datetime):
    """Record `contact`'s message on `order` and email it to the bakery."""
    customer = session.scalar(select(Customer).where(Customer.id == order.customer_id))
    access.authorize(tenant, contact, customer, "view_orders", now=now)
    access.require_active_bakery(tenant)
    if not access.contact_sees(contact, order):
        raise NotFound("No such order.")
    message = (message or "").strip()
    if not message:
        raise ValidationFailed("Write what you'd like to ask.", field="message")
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationFailed(
            f"Keep the message to {MAX_MESSAGE_LENGTH} characters.", field="message"
        )
    entry = event(tenant, order, contact, "message", now, note=message)
    session.add(entry)
    session.flush()
    notifications.order_message(
        session,
        tenant,
        order=order,
        customer=customer,
        lines=order_lines(session, order),
        location=order_location(session, order),
        contact=contact,
        message=message,
        now=now,
    )
    return entry
