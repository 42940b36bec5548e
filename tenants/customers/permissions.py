"""What a contact may do in the portal, and which of the account's records they may see.

One matrix, used by services (which refuse) and by templates (which hide buttons):
- an account owner has every permission and manages the account's users and details;
- others have exactly the checkboxes staff (or an owner) ticked;
- a suspended customer is read-only (views stay, every change is refused), and an account that
  may not order online cannot create orders.

Access levels decide which orders (and locations) a contact sees; `visible_order_filter` is the
scoping the orders code applies to every query of orders made for a contact.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:  # the models ask this module (Contact.may), so it must not import them
    from tenants.customers.models import Contact, Customer

ORDER_PERMISSIONS = {
    "view_orders": _l("View orders"),
    "create_orders": _l("Create orders"),
    "edit_orders": _l("Edit / cancel orders"),
}
INVOICE_PERMISSIONS = {"view_invoices": _l("View invoices"), "pay_invoices": _l("Pay invoices")}
GRANTABLE = {**ORDER_PERMISSIONS, **INVOICE_PERMISSIONS}
# Only account owners hold these; they are not checkboxes.
OWNER_ONLY = {
    "manage_users": _l("Manage the account's users"),
    "edit_account": _l("Edit company details"),
}
# Changes; a suspended account keeps only the views.
WRITES = {"create_orders", "edit_orders", "pay_invoices", "manage_users", "edit_account"}

# Sensible defaults per role when staff or an owner add a contact.
DEFAULTS = {
    "buyer": {
        "view_orders": True,
        "create_orders": True,
        "edit_orders": True,
        "view_invoices": False,
        "pay_invoices": False,
    },
    "billing": {
        "view_orders": True,
        "create_orders": False,
        "edit_orders": False,
        "view_invoices": True,
        "pay_invoices": True,
    },
}


def role_defaults(is_billing: bool) -> set[str]:
    """The permissions a new contact of that role starts with."""
    return {name for name, on in DEFAULTS["billing" if is_billing else "buyer"].items() if on}


def is_a_role_default(grants: set[str]) -> bool:
    """Whether `grants` is exactly the default set of some role (what a form pre-ticks)."""
    return any(set(grants) == role_defaults(role == "billing") for role in DEFAULTS)


def granted(contact: Contact) -> set[str]:
    """The permissions ticked on the contact (an owner holds all of them)."""
    if contact.is_owner:
        return set(GRANTABLE) | set(OWNER_ONLY)
    return {name for name in GRANTABLE if getattr(contact, f"can_{name}")}


def effective_permissions(contact: Contact, customer: Customer) -> set[str]:
    """What the contact may do right now, given the account's state and ordering settings."""
    perms = granted(contact)
    if customer.is_suspended:
        perms -= WRITES
    if not customer.may_order_online:
        perms.discard("create_orders")
    return perms


def can(contact: Contact, customer: Customer, permission: str) -> bool:
    """Whether the contact holds `permission` on its account now."""
    if permission not in GRANTABLE and permission not in OWNER_ONLY:
        raise KeyError(f"unknown portal permission {permission!r}")
    return permission in effective_permissions(contact, customer)


@dataclass(frozen=True)
class OrderScope:
    """Which of the account's orders a contact sees, as column criteria.

    `nothing` is True for a location-level contact with no assigned location: they see none.
    """

    customer_id: uuid.UUID
    location_id: uuid.UUID | None = None
    placed_by_contact_id: uuid.UUID | None = None
    nothing: bool = False

    def criteria(self, model, *, location_column=None) -> list:
        """SQLAlchemy WHERE clauses for `model`, which has customer_id, placed_by_contact_id
        and a location column (`location_column`, default `model.location_id`)."""
        from sqlalchemy import false

        clauses = [model.customer_id == self.customer_id]
        if self.nothing:
            return [*clauses, false()]
        if self.location_id is not None:
            column = location_column if location_column is not None else model.location_id
            clauses.append(column == self.location_id)
        if self.placed_by_contact_id is not None:
            clauses.append(model.placed_by_contact_id == self.placed_by_contact_id)
        return clauses


def visible_order_filter(contact: Contact) -> OrderScope:
    """The orders `contact` may see: theirs, their location's, or the whole account's."""
    if contact.is_owner or contact.access_level == "organization":
        return OrderScope(customer_id=contact.customer_id)
    if contact.access_level == "location":
        if contact.location_id is None:
            return OrderScope(customer_id=contact.customer_id, nothing=True)
        return OrderScope(customer_id=contact.customer_id, location_id=contact.location_id)
    return OrderScope(customer_id=contact.customer_id, placed_by_contact_id=contact.id)


def visible_location_filter(contact: Contact) -> OrderScope:
    """The delivery locations `contact` may see: a location-level contact sees only theirs."""
    if not contact.is_owner and contact.access_level == "location":
        if contact.location_id is None:
            return OrderScope(customer_id=contact.customer_id, nothing=True)
        return OrderScope(customer_id=contact.customer_id, location_id=contact.location_id)
    return OrderScope(customer_id=contact.customer_id)
