"""Invitations: staff send one, the contact accepts it once within 7 days; resend and revoke."""

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select

from tenants.customers.models import Contact, CustomerActivity
from tests.support.factories import (
    add_contact,
    link_in,
    make_customer,
    sign_in_staff,
    tenant_session,
)

START = "2026-11-02 09:00:00"


def _setup(app, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north)
    theirs = make_customer(app, south)
    # The same person is a contact at both bakeries: two separate identities.
    contact = add_contact(
        app, north, mine["id"], email="sam@cafe.example", status="not_invited", password=None
    )
    add_contact(app, south, theirs["id"], email="sam@cafe.example", password="south-password-1")
    return north, south, mine, contact


def _invite(client, bakery, customer, contact_id):
    return client.post(
        f"/admin/{bakery.slug}/customers/{customer['id']}/contacts/{contact_id}/invite"
    )


def _contact(app, bakery, contact_id) -> Contact:
    with tenant_session(app, bakery.id) as session:
        contact = session.get(Contact, (bakery.id, contact_id))
        session.expunge(contact)
        return contact


def test_an_invited_contact_sets_a_password_and_lands_in_the_portal(
    app, client, two_bakeries, mailbox
):
    north, south, mine, contact_id = _setup(app, two_bakeries)
    with freeze_time(START):
        sign_in_staff(client, north)
        assert _invite(client, north, mine, contact_id).status_code == 302
        detail = client.get(f"/admin/{north.slug}/customers/{mine['id']}")
        assert b'data-state="invited"' in detail.data
        assert b"9 Nov 2026, 09:00 GMT" in detail.data  # expires in 7 days, London time
        [message] = mailbox.messages
        assert message["To"].endswith("<sam@cafe.example>")
        path = link_in(message, "/invitation/")
        buyer = app.test_client()
        page = buyer.get(path)  # a mail scanner's GET does not use the link
        assert page.status_code == 200 and b"Welcome, Alex" in page.data
        assert buyer.get(path).status_code == 200
        accepted = buyer.post(path, data={"password": "sourdough-every-day"})
        assert accepted.status_code == 302
        assert buyer.get(f"/wholesale/{north.slug}/").status_code == 200
        # used once: the same link no longer works
        assert app.test_client().get(path).status_code == 410
        assert (
            app.test_client().post(path, data={"password": "another-password-1"}).status_code == 410
        )
    joined = _contact(app, north, contact_id)
    assert joined.status == "active" and joined.email_verified_at is not None
    # the other bakery's Sam is untouched and cannot use North's password
    south_client = app.test_client()
    response = south_client.post(
        f"/wholesale/{south.slug}/login",
        data={"email": "sam@cafe.example", "password": "sourdough-every-day"},
    )
    assert response.status_code == 401
    with tenant_session(app, north.id) as session:
        actions = set(session.scalars(select(CustomerActivity.action)))
    assert {"contact.invited", "contact.joined"} <= actions


def test_an_invitation_expires_after_seven_days(app, client, two_bakeries, mailbox):
    north, _, mine, contact_id = _setup(app, two_bakeries)
    with freeze_time(START) as frozen:
        sign_in_staff(client, north)
        _invite(client, north, mine, contact_id)
        path = link_in(mailbox.messages[0], "/invitation/")
        frozen.tick(timedelta(days=7, seconds=1))
        buyer = app.test_client()
        assert buyer.get(path).status_code == 410
        assert buyer.post(path, data={"password": "sourdough-every-day"}).status_code == 410
        detail = client.get(f"/admin/{north.slug}/customers/{mine['id']}")
        assert b'data-state="invitation_expired"' in detail.data
    assert _contact(app, north, contact_id).status == "invited"


def test_a_resent_invitation_kills_the_old_link(app, client, two_bakeries, mailbox):
    north, _, mine, contact_id = _setup(app, two_bakeries)
    with freeze_time(START) as frozen:
        sign_in_staff(client, north)
        _invite(client, north, mine, contact_id)
        old = link_in(mailbox.messages[0], "/invitation/")
        frozen.tick(timedelta(hours=1))
        assert _invite(client, north, mine, contact_id).status_code == 302
        new = link_in(mailbox.messages[1], "/invitation/")
        assert old != new
        buyer = app.test_client()
        assert buyer.get(old).status_code == 410
        assert buyer.post(new, data={"password": "sourdough-every-day"}).status_code == 302


def test_a_revoked_invitation_no_longer_works(app, client, two_bakeries, mailbox):
    north, _, mine, contact_id = _setup(app, two_bakeries)
    sign_in_staff(client, north)
    _invite(client, north, mine, contact_id)
    path = link_in(mailbox.messages[0], "/invitation/")
    revoke = client.post(f"/admin/{north.slug}/customers/{mine['id']}/contacts/{contact_id}/revoke")
    assert revoke.status_code == 302
    assert app.test_client().get(path).status_code == 410
    assert app.test_client().post(path, data={"password": "sourdough-every-day"}).status_code == 410
    assert _contact(app, north, contact_id).status == "not_invited"


def test_an_invitation_link_of_one_bakery_does_nothing_at_another(
    app, client, two_bakeries, mailbox
):
    north, south, mine, contact_id = _setup(app, two_bakeries)
    sign_in_staff(client, north)
    _invite(client, north, mine, contact_id)
    path = link_in(mailbox.messages[0], "/invitation/")
    foreign = path.replace(f"/wholesale/{north.slug}/", f"/wholesale/{south.slug}/")
    assert app.test_client().get(foreign).status_code == 410
    assert (
        app.test_client().post(foreign, data={"password": "sourdough-every-day"}).status_code == 410
    )
    assert app.test_client().get(path).status_code == 200


def test_invitations_need_the_portal_switched_on_for_the_customer(
    app, client, two_bakeries, mailbox
):
    north, south = two_bakeries
    off = make_customer(app, north, "Closed Café", portal=False)
    make_customer(app, south, "Closed Café", portal=True)
    contact_id = add_contact(
        app, north, off["id"], email="x@cafe.example", status="not_invited", password=None
    )
    sign_in_staff(client, north)
    response = _invite(client, north, off, contact_id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert b"Switch on the wholesale portal for this customer first." in page.data
    assert mailbox.messages == []
    assert _contact(app, north, contact_id).status == "not_invited"
