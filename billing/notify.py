"""Who hears of an invoice or credit note, and the emails (through the outbox, PDF attached).

Recipients are the customer's contacts who may view invoices (`view_invoices`: billing
contacts by default, owners always) and whose access level shows them this invoice, like the
portal's lists; a contact without the permission gets no invoice email. The account's billing
address gets one too when no such contact has it.
"""

from __future__ import annotations

from sqlalchemy import select

from config.formatting import format_date
from tenants.customers import permissions
from tenants.customers.models import Contact
from tenants.outbox import queue_email


def contact_sees_invoice(contact: Contact, invoice) -> bool:
    """Whether `contact`'s access level shows them `invoice` (the portal lists' rule)."""
    scope = permissions.visible_order_filter(contact)
    if scope.nothing or invoice.customer_id != scope.customer_id:
        return False
    if scope.location_id is not None and invoice.location_id != scope.location_id:
        return False
    return scope.placed_by_contact_id is None or (
        invoice.placed_by_contact_id == scope.placed_by_contact_id
    )


def recipients(session, customer, invoice) -> list[tuple[str, str]]:
    """[(email, name)] for an invoice's mail: permitted contacts who see it, then the
    account's billing address if none of them has it."""
    contacts = session.scalars(
        select(Contact).where(Contact.customer_id == customer.id).order_by(Contact.email)
    )
    chosen = [
        (c.email, c.name)
        for c in contacts
        if c.status != "disabled"
        and permissions.can(c, customer, "view_invoices")
        and contact_sees_invoice(c, invoice)
    ]
    billing = (customer.billing_email or "").strip().lower()
    if billing and billing not in {email.lower() for email, _ in chosen}:
        chosen.append((billing, customer.business_name))
    return chosen


def _context(tenant, invoice, customer) -> dict:
    return {
        "number": invoice.number,
        "customer": customer.display_name,
        "issue_date": format_date(invoice.issue_date, tenant),
        "due_date": format_date(invoice.due_date, tenant),
        "total_minor": invoice.total_minor,
        "currency": invoice.currency,
        "portal_path": f"/wholesale/{tenant.slug}/invoices/{invoice.id}",
    }


def invoice_issued(session, tenant, *, invoice, customer, now) -> None:
    """Queue the invoice email, PDF attached, to each recipient."""
    for email, name in recipients(session, customer, invoice):
        queue_email(
            session,
            tenant,
            to_email=email,
            to_name=name,
            template="invoice_issued",
            context=_context(tenant, invoice, customer),
            attachment=("invoice_pdf", invoice.id),
            now=now,
        )


def credit_note_issued(session, tenant, *, note, invoice, customer, now) -> None:
    """Queue the credit note email, its PDF attached, to the invoice's recipients."""
    context = _context(tenant, invoice, customer) | {
        "credit_number": note.number,
        "credit_total_minor": note.total_minor,
    }
    for email, name in recipients(session, customer, invoice):
        queue_email(
            session,
            tenant,
            to_email=email,
            to_name=name,
            template="credit_note_issued",
            context=context,
            attachment=("credit_note_pdf", note.id),
            now=now,
        )
