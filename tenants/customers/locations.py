"""Delivery locations of a customer, for staff and for contacts with the right.

Reads take an optional `viewer` contact: a location-level contact sees only their own location,
and any other location's id answers NotFound, exactly as another bakery's would.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update

from tenants.actors import kind_of, require
from tenants.customers.activity import log_activity
from tenants.customers.models import Contact, Customer, DeliveryLocation
from tenants.customers.permissions import visible_location_filter
from tenants.errors import NotFound, ValidationFailed
from tenants.lookup import name_taken
from tenants.scoping import check_bound


def _visible(stmt, customer: Customer, viewer: Contact | None):
    stmt = stmt.where(DeliveryLocation.customer_id == customer.id)
    if viewer is not None:
        scope = visible_location_filter(viewer)
        stmt = stmt.where(*scope.criteria(DeliveryLocation, location_column=DeliveryLocation.id))
    return stmt


def list_locations(session, customer: Customer, *, viewer: Contact | None = None):
    """The customer's locations (those `viewer` may see), by name."""
    stmt = _visible(select(DeliveryLocation), customer, viewer).order_by(DeliveryLocation.name)
    return list(session.scalars(stmt))


def get_location(session, customer: Customer, location_id, *, viewer: Contact | None = None):
    """One of the customer's locations that `viewer` may see; NotFound otherwise."""
    try:
        location_uuid = uuid.UUID(str(location_id))
    except ValueError as exc:
        raise NotFound("No such location.") from exc
    stmt = _visible(select(DeliveryLocation), customer, viewer)
    location = session.scalar(stmt.where(DeliveryLocation.id == location_uuid))
    if location is None:
        raise NotFound("No such location.")
    return location


def save_location(
    session,
    tenant,
    *,
    actor,
    customer: Customer,
    location=None,
    name: str,
    address: str = "",
    delivery_instructions: str = "",
    now=None,
):
    """Add a location (location=None) or change one; staff or a contact with edit_account."""
    require(actor, "edit_account", on=customer)
    if location is not None and location.customer_id != customer.id:
        raise NotFound("No such location.")
    name = name.strip()
    if not name:
        raise ValidationFailed("Name the location.", field="name")
    if name_taken(
        session,
        DeliveryLocation,
        name,
        other_than=location,
        where=(DeliveryLocation.customer_id == customer.id,),
    ):
        raise ValidationFailed("This customer already has a location with that name.", field="name")
    created = location is None
    if created:
        location = DeliveryLocation(tenant_id=tenant.id, customer_id=customer.id, name=name)
        session.add(location)
    location.name = name
    location.address = address.strip()
    location.delivery_instructions = delivery_instructions.strip()
    session.flush()
    log_activity(
        session,
        customer,
        actor=actor,
        action="location.added" if created else "location.updated",
        summary=("Added" if created else "Changed") + f" delivery location {name}",
        details={"location_id": str(location.id)},
        now=now,
    )
    return location


def assigned_contacts(session, customer: Customer, location) -> list[Contact]:
    """The customer's contacts assigned to `location` (what removing it affects), by name."""
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.customer_id == customer.id, Contact.location_id == location.id)
            .order_by(Contact.first_name, Contact.last_name)
        )
    )


def removal_consequences(session, customer: Customer, location) -> list[str]:
    """What removing `location` will do, in words for the confirm step."""
    people = [c.name for c in assigned_contacts(session, customer, location)]
    if not people:
        return ["No one is assigned to it."]
    names = ", ".join(people[:-1]) + (" and " if len(people) > 1 else "") + people[-1]
    verb = "is" if len(people) == 1 else "are"
    return [f"{names} {verb} assigned to it and will be assigned to no location."]


def remove_location(session, tenant, *, actor, customer: Customer, location, now=None) -> None:
    """Remove a location; contacts assigned to it keep their account but lose the assignment.

    From the portal (a contact acting) two removals are refused: the last location (the bakery
    would have nowhere to deliver) and one assigned to contacts (a location-level colleague
    would silently stop seeing any orders). Staff may do both; they see and fix the fallout.
    """
    check_bound(session, tenant)
    require(actor, "edit_account", on=customer)
    if location.customer_id != customer.id:
        raise NotFound("No such location.")
    if kind_of(actor) == "contact":
        others = session.scalar(
            select(func.count(DeliveryLocation.id)).where(
                DeliveryLocation.customer_id == customer.id, DeliveryLocation.id != location.id
            )
        )
        if not others:
            raise ValidationFailed(
                f"{location.name} is your only delivery location; add another one first."
            )
        assigned = session.scalar(
            select(func.count(Contact.id)).where(
                Contact.customer_id == customer.id, Contact.location_id == location.id
            )
        )
        if assigned:
            raise ValidationFailed(
                f"{location.name} is assigned to {assigned} user(s) of your account; "
                "assign them another location first."
            )
    session.execute(
        update(Contact)
        .where(Contact.customer_id == customer.id, Contact.location_id == location.id)
        .values(location_id=None)
        .execution_options(synchronize_session="fetch")
    )
    log_activity(
        session,
        customer,
        actor=actor,
        action="location.removed",
        summary=f"Removed delivery location {location.name}",
        details={"location_id": str(location.id)},
        now=now,
    )
    session.delete(location)
    session.flush()
