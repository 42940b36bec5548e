"""Who gets an invoice's reminders and a customer's statement.

A contact hears about an invoice only if they may see it in the portal: they hold
`view_invoices` and their access level covers it (organisation: every invoice of the account;
location: invoices of their location's orders; individual: invoices of orders they placed).
A contact without the permission sees no invoice anywhere, emails included. The account's own
billing address (the invoice's bill-to email) always hears, since it is where invoices go.
A statement covers the whole account, so only organisation-level contacts get it.
"""

from __future__ import annotations

from sqlalchemy import select

from tenants.customers.models import Contact

# Contacts who left (disabled) hear nothing; invited or not-yet-invited people are still the
# customer's named billing people and get the mail.
_REACHABLE = ("not_invited", "invited", "active")


def _contacts(session, customer_id) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact)
            .where(
                Contact.customer_id == customer_id,
                Contact.can_view_invoices.is_(True),
                Contact.status.in_(_REACHABLE),
            )
            .order_by(Contact.email)
        )
    )


def sees_invoice(contact: Contact, invoice) -> bool:
    """Whether `contact`'s access level covers `invoice` (permission aside)."""
    if contact.access_level == "organization":
        return True
    if contact.access_level == "location":
        return invoice.location_id is not None and invoice.location_id == contact.location_id
    return invoice.placed_by_contact_id is not None and invoice.placed_by_contact_id == contact.id


def _with_billing_address(people: list[tuple[str, str]], email: str, name: str):
    known = {e.lower() for e, _ in people}
    if email and email.lower() not in known:
        people.append((email, name))
    return people


def invoice_recipients(session, invoice, *, contacts=None) -> list[tuple[str, str]]:
    """(email, name) of everyone an email about `invoice` goes to."""
    contacts = _contacts(session, invoice.customer_id) if contacts is None else contacts
    people = [(c.email, c.name) for c in contacts if sees_invoice(c, invoice)]
    return _with_billing_address(people, invoice.bill_to_email, invoice.bill_to_name)


def statement_recipients(session, customer) -> list[tuple[str, str]]:
    """(email, name) of everyone a statement of the whole account goes to."""
    people = [
        (c.email, c.name)
        for c in _contacts(session, customer.id)
        if c.access_level == "organization"
    ]
    return _with_billing_address(people, customer.billing_email, customer.display_name)


def contacts_by_customer(session, customer_ids) -> dict:
    """{customer id: [contacts who may see invoices]} for many customers in one query."""
    found: dict = {cid: [] for cid in customer_ids}
    if not found:
        return found
    rows = session.scalars(
        select(Contact)
        .where(
            Contact.customer_id.in_(list(found)),
            Contact.can_view_invoices.is_(True),
            Contact.status.in_(_REACHABLE),
        )
        .order_by(Contact.email)
    )
    for contact in rows:
        found[contact.customer_id].append(contact)
    return found
