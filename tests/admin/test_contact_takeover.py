"""Staff can't take over a buyer's account: temporary passwords are only for contacts who never
chose one; an active contact gets a reset link at their own address instead."""

from sqlalchemy import select

from tenants.customers.models import Contact, CustomerActivity
from tests.support.factories import (
    PASSWORD,
    add_contact,
    add_staff,
    link_in,
    make_customer,
    sign_in_buyer,
    sign_in_staff,
    tenant_session,
)
from tests.support.html import page_text

EMAIL = "sam@cafe.example"


def _setup(app, two_bakeries, **contact):
    north, south = two_bakeries
    mine = make_customer(app, north)
    theirs = make_customer(app, south)
    contact_id = add_contact(app, north, mine["id"], email=EMAIL, **contact)
    add_contact(app, south, theirs["id"], email=EMAIL)
    add_staff(app, north, email="sales@north.example", role="sales")
    return north, south, mine, contact_id


def _base(north, mine, contact_id):
    return f"/admin/{north.slug}/customers/{mine['id']}/contacts/{contact_id}"


def test_sales_staff_cannot_set_a_temporary_password_on_an_active_buyer(app, client, two_bakeries):
    north, _, mine, contact_id = _setup(app, two_bakeries)
    buyer = app.test_client()
    sign_in_buyer(buyer, north, EMAIL)
    sign_in_staff(client, north, "sales@north.example")
    refused = client.post(
        _base(north, mine, contact_id) + "/password",
        data={"password": "staff-knows-this-1"},
        follow_redirects=True,
    )
    assert "has chosen their own password. Send them a reset link instead." in page_text(refused)
    # The buyer's password and session are theirs still; staff's password opens nothing.
    assert buyer.get(f"/wholesale/{north.slug}/").status_code == 200
    sign_in_buyer(app.test_client(), north, EMAIL, PASSWORD)
    takeover = app.test_client().post(
        f"/wholesale/{north.slug}/login", data={"email": EMAIL, "password": "staff-knows-this-1"}
    )
    assert takeover.status_code == 401
    with tenant_session(app, north.id) as session:
        actions = set(session.scalars(select(CustomerActivity.action)))
    assert "contact.temporary_password" not in actions


def test_a_contact_who_never_chose_a_password_can_get_a_temporary_one(app, client, two_bakeries):
    north, _, mine, contact_id = _setup(app, two_bakeries, status="invited", password=None)
    sign_in_staff(client, north, "sales@north.example")
    page = page_text(client.get(f"/admin/{north.slug}/customers/{mine['id']}"))
    assert "Set temporary password" in page and "Send password reset link" not in page
    done = client.post(
        _base(north, mine, contact_id) + "/password", data={"password": "temporary-loaf-1"}
    )
    assert done.status_code == 302
    sign_in_buyer(app.test_client(), north, EMAIL, "temporary-loaf-1")


def test_an_active_contact_gets_a_reset_link_at_their_own_address(
    app, client, two_bakeries, mailbox
):
    north, _, mine, contact_id = _setup(app, two_bakeries)
    sign_in_staff(client, north, "sales@north.example")
    page = page_text(client.get(f"/admin/{north.slug}/customers/{mine['id']}"))
    assert "Send password reset link" in page and "Set temporary password" not in page
    sent = client.post(_base(north, mine, contact_id) + "/reset-link", follow_redirects=True)
    assert f"A password reset link went to {EMAIL}." in page_text(sent)
    [message] = mailbox.messages
    assert EMAIL in message["To"]
    path = link_in(message, "/reset/")
    assert path.startswith(f"/wholesale/{north.slug}/reset/")
    # The buyer (not staff) chooses the new password.
    assert app.test_client().post(path, data={"password": "buyer-chose-this-1"}).status_code == 302
    sign_in_buyer(app.test_client(), north, EMAIL, "buyer-chose-this-1")
    with tenant_session(app, north.id) as session:
        actions = set(session.scalars(select(CustomerActivity.action)))
    assert "contact.reset_link_sent" in actions


def test_a_reset_link_is_refused_for_a_contact_without_a_sign_in(
    app, client, two_bakeries, mailbox
):
    north, _, mine, contact_id = _setup(app, two_bakeries, status="not_invited", password=None)
    sign_in_staff(client, north, "sales@north.example")
    refused = client.post(_base(north, mine, contact_id) + "/reset-link", follow_redirects=True)
    assert "has no portal sign-in to reset" in page_text(refused)
    assert mailbox.messages == []


def test_staff_in_the_portal_only_read_through_view_as(app, client, two_bakeries):
    north, _, mine, contact_id = _setup(app, two_bakeries)
    sign_in_staff(client, north, "sales@north.example")
    client.post(_base(north, mine, contact_id) + "/view-as")
    refused = client.post(
        f"/wholesale/{north.slug}/account",
        data={"first_name": "Staff", "last_name": "Was Here", "phone": ""},
    )
    assert refused.status_code == 403
    with tenant_session(app, north.id) as session:
        assert session.get(Contact, (north.id, contact_id)).first_name == "Alex"
