"""Who may change a customer account: staff with `customers`, or one of its own contacts."""

from __future__ import annotations

from tenants.customers import permissions
from tenants.customers.models import Contact, Customer
from tenants.errors import PermissionDenied


def authorize(actor, customer: Customer, *, contact_permission: str = "edit_account") -> None:
    """Raise PermissionDenied unless `actor` may change `customer`.

    None is the system (demo data, jobs). Staff need the `customers` permission; a contact needs
    `contact_permission` on their own account (and an account owner is refused nothing but what
    a suspension freezes).
    """
    if actor is None:
        return
    if isinstance(actor, Contact):
        if actor.customer_id != customer.id or not permissions.can(
            actor, customer, contact_permission
        ):
            raise PermissionDenied("You don't have permission to do that.")
        return
    if not actor.can("customers"):
        raise PermissionDenied("You don't have permission to do that.")


def authorize_staff(actor, permission: str = "customers") -> None:
    """Raise PermissionDenied unless `actor` is the system or staff holding `permission`."""
    if actor is None:
        return
    if isinstance(actor, Contact) or not actor.can(permission):
        raise PermissionDenied("You don't have permission to do that.")
