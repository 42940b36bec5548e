"""One actor type and one permission check: staff by role, contacts on their own account only,
operators on the platform, the system on everything."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tenants.actors import SYSTEM, allowed, kind_of, require
from tenants.errors import PermissionDenied
from tests.support.factories import add_contact, add_staff, make_customer, tenant_session


def test_staff_hold_their_roles_permissions_and_account_rights_through_customers(app, two_bakeries):
    from tenants.customers.models import Customer
    from tenants.staff.models import StaffUser

    north, _ = two_bakeries
    sales_id = add_staff(app, north, email="sales@example.com", role="sales")
    customer_id = make_customer(app, north)["id"]
    with tenant_session(app, north.id) as session:
        sales = session.get(StaffUser, (north.id, sales_id))
        customer = session.get(Customer, (north.id, customer_id))
        assert kind_of(sales) == "staff"
        assert allowed(sales, "customers") and allowed(sales, "orders")
        assert not allowed(sales, "catalog") and not allowed(sales, "settings")
        # Staff who edit customers may do to an account what its owner may.
        assert allowed(sales, "edit_account", on=customer)
        assert allowed(sales, "manage_users", on=customer)
        with pytest.raises(PermissionDenied, match="change the catalog"):
            require(sales, "catalog", message="You don't have permission to change the catalog.")


def test_a_contact_acts_on_their_own_account_only_and_never_with_staff_permissions(
    app, two_bakeries
):
    from tenants.customers.models import Contact, Customer

    north, _ = two_bakeries
    ours = make_customer(app, north, "Ours")["id"]
    theirs = make_customer(app, north, "Theirs")["id"]
    owner_id = add_contact(app, north, ours, email="owner@ours.example", is_owner=True)
    buyer_id = add_contact(app, north, ours, email="buyer@ours.example")
    with tenant_session(app, north.id) as session:
        owner = session.get(Contact, (north.id, owner_id))
        buyer = session.get(Contact, (north.id, buyer_id))
        our_account = session.get(Customer, (north.id, ours))
        their_account = session.get(Customer, (north.id, theirs))
        assert kind_of(buyer) == "contact"
        assert allowed(owner, "manage_users", on=our_account)
        assert not allowed(owner, "manage_users", on=their_account)  # same bakery, other account
        assert not allowed(owner, "manage_users")  # no account named: nothing
        assert allowed(buyer, "create_orders", on=our_account)
        assert not allowed(buyer, "manage_users", on=our_account)
        assert not allowed(owner, "customers") and not allowed(owner, "catalog")
        with pytest.raises(PermissionDenied):
            require(buyer, "edit_account", on=our_account)
        with pytest.raises(KeyError):  # a misspelt permission is a programming error
            allowed(buyer, "launch_rockets", on=our_account)


def test_the_system_may_do_anything_and_none_means_the_system():
    assert kind_of(None) == "system" and kind_of(SYSTEM) == "system"
    assert allowed(None, "settings") and allowed(SYSTEM, "manage_users", on=object())
    require(None, "catalog")


def test_operators_run_the_platform_and_hold_no_bakerys_permissions(app):
    from tenants.operators import Operator

    operator = Operator(email="op@example.com", name="Op", password_hash="x", active=True)
    assert kind_of(operator) == "operator"
    assert allowed(operator, "platform")
    assert not allowed(operator, "catalog") and not allowed(operator, "customers")
    operator.active = False
    assert not allowed(operator, "platform")


def test_a_service_handed_another_bakery_than_its_sessions_refuses(app, two_bakeries):
    from tenants.customers.models import Customer
    from tenants.customers.services import suspend_customer
    from tenants.models import Tenant
    from tenants.scoping import TenantMismatch

    north, south = two_bakeries
    customer_id = make_customer(app, north)["id"]
    with tenant_session(app, north.id) as session:
        customer = session.get(Customer, (north.id, customer_id))
        other = session.get(Tenant, south.id)
        with pytest.raises(TenantMismatch):
            suspend_customer(session, other, actor=None, customer=customer, reason="Unpaid")
        assert session.scalar(select(Customer.suspended_at)) is None
