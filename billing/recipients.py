"""Who gets a customer's statement; an invoice's reminders go to `billing.notify.recipients`,
the same people its invoice email went to (the one rule: contacts who may view invoices and
whose access level shows them the invoice, and the account's billing address).

A statement covers the whole account, so among the contacts who may view invoices only those
who see every order of the account (owners and organisation-level contacts) get it; the
account's billing address always does.
"""

from __future__ import annotations

from sqlalchemy import select

from billing.notify import contact_sees_invoice
from tenants.customers import permissions
from tenants.customers.models import Contact

__all__ = ["contact_sees_invoice", "sees_whole_account", "statement_recipients"]


def sees_whole_account(contact: Contact) -> bool:
    """Whether the contact's access level covers every invoice of their account."""
    scope = permissions.visible_order_filter(contact)
    return not scope.nothing and scope.location_id is None and scope.placed_by_contact_id is None


def statement_recipients(session, customer) -> list[tuple[str, str]]:
    """(email, name) of everyone a statement of `customer`'s whole account goes to."""
    contacts = session.scalars(
        select(Contact).where(Contact.customer_id == customer.id).order_by(Contact.email)
    )
    chosen = [
        (c.email, c.name)
        for c in contacts
        if c.status != "disabled"
        and permissions.can(c, customer, "view_invoices")
        and sees_whole_account(c)
    ]
    billing = (customer.billing_email or "").strip().lower()
    if billing and billing not in {email.lower() for email, _ in chosen}:
        chosen.append((billing, customer.display_name))
    return chosen
