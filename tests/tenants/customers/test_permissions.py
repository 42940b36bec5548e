"""The portal permission matrix and the access-level scoping, checked in the services."""

import pytest
from sqlalchemy import select

from tenants.customers import contacts, locations
from tenants.customers.models import Contact, Customer
from tenants.customers.permissions import (
    GRANTABLE,
    OWNER_ONLY,
    can,
    effective_permissions,
    visible_order_filter,
)
from tenants.errors import NotFound, PermissionDenied
from tests.support.factories import add_contact, make_customer, tenant_session


def _contact(**flags) -> tuple[Contact, Customer]:
    customer = Customer(business_name="X", status="active", may_order_online=True)
    contact = Contact(
        is_owner=False, access_level="individual", **{f"can_{n}": False for n in GRANTABLE}
    )
    for name, value in flags.items():
        setattr(contact, name, value)
    return contact, customer


@pytest.mark.parametrize("permission", sorted(GRANTABLE))
def test_each_permission_is_granted_only_by_its_own_checkbox(permission):
    without, customer = _contact()
    with_it, _ = _contact(**{f"can_{permission}": True})
    assert not can(without, customer, permission)
    assert can(with_it, customer, permission)
    assert effective_permissions(with_it, customer) == {permission}


@pytest.mark.parametrize("permission", sorted(OWNER_ONLY))
def test_only_an_account_owner_manages_users_and_company_details(permission):
    everything, customer = _contact(**{f"can_{n}": True for n in GRANTABLE})
    owner, _ = _contact(is_owner=True)
    assert not can(everything, customer, permission)
    assert can(owner, customer, permission)


def test_an_owner_ignores_the_checkboxes_and_holds_every_permission():
    owner, customer = _contact(is_owner=True)
    assert effective_permissions(owner, customer) == set(GRANTABLE) | set(OWNER_ONLY)


def test_a_suspended_account_keeps_only_the_views():
    owner, customer = _contact(is_owner=True)
    customer.status = "suspended"
    assert effective_permissions(owner, customer) == {"view_orders", "view_invoices"}


def test_an_account_that_may_not_order_online_cannot_create_orders():
    buyer, customer = _contact(can_create_orders=True, can_view_orders=True)
    customer.may_order_online = False
    assert effective_permissions(buyer, customer) == {"view_orders"}


def test_unknown_permissions_are_a_programming_error():
    buyer, customer = _contact()
    with pytest.raises(KeyError):
        can(buyer, customer, "launch_rockets")


def test_order_scope_per_access_level():
    import uuid

    customer_id, location_id = uuid.uuid4(), uuid.uuid4()
    base = {"customer_id": customer_id, "id": uuid.uuid4(), "is_owner": False}
    organization = visible_order_filter(Contact(**base, access_level="organization"))
    location = visible_order_filter(
        Contact(**base, access_level="location", location_id=location_id)
    )
    unassigned = visible_order_filter(Contact(**base, access_level="location"))
    individual = visible_order_filter(Contact(**base, access_level="individual"))
    owner = visible_order_filter(Contact(**{**base, "is_owner": True}, access_level="individual"))
    assert (organization.location_id, organization.placed_by_contact_id) == (None, None)
    assert location.location_id == location_id and location.placed_by_contact_id is None
    assert unassigned.nothing
    assert individual.placed_by_contact_id == base["id"] and individual.location_id is None
    assert owner == organization
    assert {s.customer_id for s in (organization, location, individual)} == {customer_id}


def test_a_location_level_contact_sees_only_their_location_and_gets_404_for_others(
    app, two_bakeries
):
    north, south = two_bakeries
    mine = make_customer(app, north)
    theirs = make_customer(app, south)  # same names at the other bakery
    main, harbour = mine["locations"]["Main Street"], mine["locations"]["Harbour"]
    contact_id = add_contact(
        app, north, mine["id"], email="loc@example.com", access_level="location", location_id=main
    )
    org_id = add_contact(app, north, mine["id"], email="org@example.com")
    with tenant_session(app, north.id) as session:
        contact = session.get(Contact, (north.id, contact_id))
        org = session.get(Contact, (north.id, org_id))
        customer = contact.customer
        assert [loc.id for loc in locations.list_locations(session, customer, viewer=contact)] == [
            main
        ]
        assert len(locations.list_locations(session, customer, viewer=org)) == 2
        assert locations.get_location(session, customer, main, viewer=contact).id == main
        with pytest.raises(NotFound):
            locations.get_location(session, customer, harbour, viewer=contact)
        with pytest.raises(NotFound):
            locations.get_location(
                session, customer, theirs["locations"]["Main Street"], viewer=org
            )


def test_an_owner_cannot_grant_more_than_they_hold_nor_make_owners(app, two_bakeries):
    north, south = two_bakeries
    customer = make_customer(app, north)
    make_customer(app, south)
    owner_id = add_contact(app, north, customer["id"], email="owner@cafe.example", is_owner=True)
    with tenant_session(app, north.id) as session:
        owner = session.get(Contact, (north.id, owner_id))
        cust = owner.customer
        with pytest.raises(PermissionDenied):
            contacts.save_contact(
                session,
                None,
                actor=owner,
                customer=cust,
                first_name="New",
                email="new@cafe.example",
                is_owner=True,
            )
        cust.status = "suspended"  # a suspended owner holds only the views
        with pytest.raises(PermissionDenied):
            contacts.save_contact(
                session,
                None,
                actor=owner,
                customer=cust,
                first_name="New",
                email="new@cafe.example",
                grants={"view_orders"},
            )
        session.rollback()
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(Contact).where(Contact.email == "new@cafe.example")) is None
