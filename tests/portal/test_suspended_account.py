"""A suspended customer's contacts may sign in and read, and change nothing: their own name and
phone included, as the permissions module says."""

from tenants.customers.models import Contact, Customer
from tests.support.factories import make_buyer, sign_in_buyer, tenant_session
from tests.support.html import page_text

EMAIL = "sam@cafe.example"


def test_a_suspended_customers_contact_cannot_edit_their_own_name_or_phone(
    app, client, two_bakeries
):
    north, south = two_bakeries
    mine = make_buyer(app, north, email=EMAIL, is_owner=False)
    theirs = make_buyer(app, south, email=EMAIL)
    with tenant_session(app, north.id) as session:
        customer = session.get(Customer, (north.id, mine["id"]))
        customer.status, customer.suspended_reason = "suspended", "Invoices overdue"
    sign_in_buyer(client, north, EMAIL)
    refused = client.post(
        f"/wholesale/{north.slug}/account",
        data={"first_name": "Changed", "last_name": "Name", "phone": "999"},
    )
    assert refused.status_code == 403
    assert "Your account is suspended, so nothing can be changed" in page_text(refused)
    with tenant_session(app, north.id) as session:
        contact = session.get(Contact, (north.id, mine["contact_id"]))
        assert (contact.first_name, contact.phone) == ("Alex", "")
    # The same person at the other bakery, whose account is not suspended, still can.
    other = app.test_client()
    sign_in_buyer(other, south, EMAIL)
    saved = other.post(
        f"/wholesale/{south.slug}/account",
        data={"first_name": "Changed", "last_name": "Name", "phone": "999"},
    )
    assert saved.status_code == 302
    with tenant_session(app, south.id) as session:
        assert session.get(Contact, (south.id, theirs["contact_id"])).first_name == "Changed"
