"""Contact services act only on a contact of the customer they are given."""

import pytest
from sqlalchemy import select

from tenants.customers import contacts
from tenants.customers.models import Contact, Customer, CustomerActivity
from tenants.errors import NotFound
from tests.support.catalog import tenant_of
from tests.support.factories import add_contact, make_customer, tenant_session

SERVICES = {
    "invite_contact": {},
    "revoke_invitation": {},
    "set_temporary_password": {"password": "a-long-temporary-password"},
    "set_contact_disabled": {"disabled": True},
    "remove_contact": {},
    "record_view_as": {},
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_contact_of_another_customer_is_not_found_and_left_alone(app, two_bakeries, service):
    north, south = two_bakeries
    aurora = make_customer(app, north, "Café Aurora")
    deli = make_customer(app, north, "Corner Deli")
    theirs = make_customer(app, south, "Café Aurora")
    add_contact(app, south, theirs["id"], email="sam@deli.example", status="invited")
    sam = add_contact(app, north, deli["id"], email="sam@deli.example", status="invited")
    with tenant_session(app, north.id) as session:
        tenant = tenant_of(session, north)
        wrong_customer = session.get(Customer, (north.id, aurora["id"]))
        contact = session.get(Contact, (north.id, sam))
        with pytest.raises(NotFound):
            getattr(contacts, service)(
                session,
                tenant,
                actor=None if service != "record_view_as" else _owner(session, north),
                customer=wrong_customer,
                contact=contact,
                **SERVICES[service],
            )
        session.rollback()
    with tenant_session(app, north.id) as session:
        contact = session.get(Contact, (north.id, sam))
        assert contact is not None and contact.status == "invited"
        assert contact.password_hash is not None and not contact.must_change_password
        assert session.scalar(select(CustomerActivity.id)) is None


def _owner(session, bakery):
    from tenants.staff.models import StaffUser

    return session.scalar(select(StaffUser).where(StaffUser.id == bakery.owner_id))
