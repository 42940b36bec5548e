"""The mail an order causes, written to the outbox in the order's transaction (sent after commit).

- the buyer who placed it gets a confirmation with its lines and totals;
- the bakery gets a notification: each active staff member who may see orders and switched
  "new orders" on in their mail preferences; if nobody did, its contact address (or, without
  one, its active owners), so a new order never goes unannounced;
- the buyer hears of each review decision (confirmed after review, rejected with the reason).
Contexts are plain JSON: the sending job renders them in the bakery's locale and branding.
"""

from __future__ import annotations

from sqlalchemy import func, select

from config.formatting import format_date
from tenants.mail_preferences import opted_in_emails
from tenants.orders import access
from tenants.outbox import queue_email
from tenants.staff.models import StaffUser


def _summary(tenant, order, customer, location, lines: list[dict]) -> dict:
    return {
        "number": order.number,
        "order_id": str(order.id),
        "customer": customer.display_name,
        "placed_by": order.placed_by_name,
        # The code, not the words: the email says it in the bakery's language when it renders.
        "status": order.status,
        "delivery_date": format_date(order.delivery_date, tenant),
        "location": location.name,
        "address": location.address,
        "po_number": order.po_number,
        "notes": order.notes,
        "lines": lines,
        "subtotal_minor": order.subtotal_minor,
        "tax_minor": order.tax_minor,
        "total_minor": order.total_minor,
        "portal_path": f"/wholesale/{tenant.slug}/orders/{order.id}",
        "admin_path": f"/admin/{tenant.slug}/orders/{order.id}",
    }


def line_dicts(order_lines) -> list[dict]:
    """An order's frozen lines as plain data for a mail context."""
    return [
        {
            "name": line.product_name,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price_minor": line.unit_price_minor,
            "line_total_minor": line.line_total_minor,
        }
        for line in order_lines
    ]


def _staff_recipients(session, tenant) -> list[tuple[str, str]]:
    if tenant.contact_email:
        return [(tenant.contact_email, tenant.name)]
    owners = session.scalars(
        select(StaffUser).where(StaffUser.role == "owner", StaffUser.status == "active")
    )
    return [(u.email, u.name) for u in owners]


def _new_order_recipients(session, tenant) -> list[tuple[str, str]]:
    emails = opted_in_emails(session, "new_orders")
    if emails:
        staff = session.scalars(
            select(StaffUser)
            .where(func.lower(StaffUser.email).in_(emails), StaffUser.status == "active")
            .order_by(StaffUser.email)
        )
        chosen = [(u.email, u.name) for u in staff if u.can("orders_view")]
        if chosen:
            return chosen
    return _staff_recipients(session, tenant)


def order_placed(session, tenant, *, order, customer, lines, location, actor, now) -> None:
    """Queue the buyer's confirmation (when a contact placed it) and the bakery's notice."""
    context = _summary(tenant, order, customer, location, line_dicts(lines))
    if access.is_contact(actor):
        queue_email(
            session,
            tenant,
            to_email=actor.email,
            to_name=actor.name,
            template="order_confirmation",
            context=context,
            now=now,
        )
    for email, name in _new_order_recipients(session, tenant):
        queue_email(
            session,
            tenant,
            to_email=email,
            to_name=name,
            template="order_received",
            context=context,
            now=now,
        )


def order_decided(session, tenant, *, order, customer, lines, location, now) -> None:
    """Tell the buyer who placed `order` that the bakery confirmed or rejected it."""
    from tenants.customers.models import Contact

    if order.placed_by_contact_id is None:
        return
    contact = session.scalar(select(Contact).where(Contact.id == order.placed_by_contact_id))
    if contact is None or contact.status != "active":
        return
    context = _summary(tenant, order, customer, location, line_dicts(lines))
    context["rejection_reason"] = order.rejection_reason
    queue_email(
        session,
        tenant,
        to_email=contact.email,
        to_name=contact.name,
        template="order_decision",
        context=context,
        now=now,
    )


def order_message(session, tenant, *, order, customer, lines, location, contact, message, now):
    """Email the bakery a buyer's question about `order` (it is on the timeline too)."""
    context = _summary(tenant, order, customer, location, line_dicts(lines))
    context.update(message=message, sender=contact.name, sender_email=contact.email)
    for email, name in _staff_recipients(session, tenant):
        queue_email(
            session,
            tenant,
            to_email=email,
            to_name=name,
            template="order_message",
            context=context,
            now=now,
        )
