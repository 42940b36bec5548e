"""Who may do what with orders, and which orders a contact may see.

Actors are those of `tenants.actors`: a portal `Contact`, a `StaffUser`, or the system (None or
SYSTEM: demo data, standing-order jobs). Buyers need the `wholesale_portal` feature, a portal-
enabled active account, an active bakery and the contact's permission; staff need `orders`.
"""

from __future__ import annotations

from tenants.actors import kind_of, require
from tenants.customers import permissions
from tenants.customers.models import Contact
from tenants.errors import PermissionDenied, TenantSuspended
from tenants.plans import require_feature

_PERMISSION_MESSAGES = {
    "create_orders": "You can't place orders for this account. Ask your account owner.",
    "edit_orders": "You can't change orders for this account. Ask your account owner.",
    "view_orders": "You can't see this account's orders.",
}


def is_contact(actor) -> bool:
    return isinstance(actor, Contact)


def is_system(actor) -> bool:
    return kind_of(actor) == "system"


def actor_kind(actor) -> str:
    return kind_of(actor)


def actor_name(actor) -> str:
    return "the system" if is_system(actor) else actor.name


def require_active_bakery(tenant) -> None:
    if tenant.is_suspended:
        raise TenantSuspended("This bakery is not taking orders right now.")


def authorize(tenant, actor, customer, permission: str, *, now) -> None:
    """Raise unless `actor` may use `permission` ("create_orders", "edit_orders",
    "view_orders") on `customer`'s orders. Reads stay open to suspended accounts."""
    writes = permission != "view_orders"
    if writes:
        require_active_bakery(tenant)
    if is_system(actor):
        return
    if not is_contact(actor):
        require(actor, "orders" if writes else "orders_view")
        if writes and customer.is_suspended:
            raise PermissionDenied(f"{customer.display_name} is suspended and cannot order.")
        return
    require_feature(tenant, "wholesale_portal", now=now)
    if actor.customer_id != customer.id or not customer.portal_enabled:
        raise PermissionDenied("You don't have permission to do that.")
    if writes and customer.is_suspended:
        raise PermissionDenied("Your account is on hold; the bakery can tell you more.")
    if not permissions.can(actor, customer, permission):
        raise PermissionDenied(_PERMISSION_MESSAGES[permission])


def contact_sees(contact: Contact, order) -> bool:
    """Whether `contact`'s access level shows them `order` (the same rule the lists apply)."""
    scope = permissions.visible_order_filter(contact)
    if scope.nothing or order.customer_id != scope.customer_id:
        return False
    if scope.location_id is not None and order.location_id != scope.location_id:
        return False
    return not (
        scope.placed_by_contact_id is not None
        and order.placed_by_contact_id != scope.placed_by_contact_id
    )


def contact_may_use_location(contact: Contact, location) -> bool:
    """A location-level contact orders only for their own location."""
    if location.customer_id != contact.customer_id:
        return False
    scope = permissions.visible_location_filter(contact)
    if scope.nothing:
        return False
    return scope.location_id is None or scope.location_id == location.id
