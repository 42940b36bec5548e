"""Inside the portal: own settings, company details, locations, and the owner's user management."""

from sqlalchemy import select

from tenants.customers.models import Contact, Customer, CustomerActivity
from tests.support.factories import (
    add_contact,
    link_in,
    make_buyer,
    make_customer,
    sign_in_buyer,
    tenant_session,
)
from tests.support.html import page_text

OWNER = "owner@cafe.example"


def _setup(app, two_bakeries):
    north, south = two_bakeries
    mine = make_buyer(app, north, email=OWNER)
    theirs = make_buyer(app, south, email=OWNER)
    return north, south, mine, theirs


def _contact(app, bakery, contact_id):
    with tenant_session(app, bakery.id) as session:
        contact = session.get(Contact, (bakery.id, contact_id))
        if contact is not None:
            session.expunge(contact)
        return contact


def test_every_contact_edits_their_own_name_phone_and_password(app, client, two_bakeries):
    north, _, mine, theirs = _setup(app, two_bakeries)
    buyer = add_contact(app, north, mine["id"], email="b@cafe.example", grants=())
    sign_in_buyer(client, north, "b@cafe.example")
    assert (
        client.post(
            f"/wholesale/{north.slug}/account",
            data={"first_name": "Bea", "last_name": "Bun", "phone": "0123"},
        ).status_code
        == 302
    )
    wrong = client.post(
        f"/wholesale/{north.slug}/change-password",
        data={"current_password": "nope", "new_password": "fresh-baguette-1"},
    )
    assert wrong.status_code == 422
    assert (
        client.post(
            f"/wholesale/{north.slug}/change-password",
            data={"current_password": "correct-horse-battery", "new_password": "fresh-baguette-1"},
        ).status_code
        == 302
    )
    assert _contact(app, north, buyer).name == "Bea Bun"
    sign_in_buyer(app.test_client(), north, "b@cafe.example", "fresh-baguette-1")
    assert _contact(app, theirs and two_bakeries[1], theirs["contact_id"]).first_name == "Alex"


def test_only_owners_edit_company_details_and_it_is_logged(app, client, two_bakeries):
    north, south, mine, theirs = _setup(app, two_bakeries)
    add_contact(
        app,
        north,
        mine["id"],
        email="b@cafe.example",
        grants=("view_orders", "create_orders", "edit_orders", "view_invoices", "pay_invoices"),
    )
    other = app.test_client()
    sign_in_buyer(other, north, "b@cafe.example")
    assert other.get(f"/wholesale/{north.slug}/account/company").status_code == 403
    assert (
        other.post(
            f"/wholesale/{north.slug}/account/company", data={"tax_number": "NO"}
        ).status_code
        == 403
    )
    sign_in_buyer(client, north, OWNER)
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/company",
            data={"tax_number": "DE999", "billing_email": "ap@cafe.example"},
        ).status_code
        == 302
    )
    with tenant_session(app, north.id) as session:
        assert session.get(Customer, (north.id, mine["id"])).tax_number == "DE999"
        entry = session.scalar(
            select(CustomerActivity).where(CustomerActivity.action == "customer.updated")
        )
        assert entry.actor_kind == "contact" and entry.actor_id == mine["contact_id"]
    with tenant_session(app, south.id) as session:
        assert session.get(Customer, (south.id, theirs["id"])).tax_number == ""


def test_a_location_level_contact_gets_404_for_another_locations_page(app, client, two_bakeries):
    north, _, mine, theirs = _setup(app, two_bakeries)
    main, harbour = mine["locations"]["Main Street"], mine["locations"]["Harbour"]
    add_contact(
        app, north, mine["id"], email="loc@cafe.example", access_level="location", location_id=main
    )
    sign_in_buyer(client, north, "loc@cafe.example")
    home = client.get(f"/wholesale/{north.slug}/")
    assert b"Main Street" in home.data and b"Harbour" not in home.data
    assert client.get(f"/wholesale/{north.slug}/account/locations/{main}").status_code == 200
    assert client.get(f"/wholesale/{north.slug}/account/locations/{harbour}").status_code == 404
    foreign = theirs["locations"]["Main Street"]
    assert client.get(f"/wholesale/{north.slug}/account/locations/{foreign}").status_code == 404
    # they may read their location but not change it
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/locations/{main}", data={"name": "Mine now"}
        ).status_code
        == 403
    )


def test_an_owner_adds_and_edits_delivery_locations(app, client, two_bakeries):
    north, _, mine, _ = _setup(app, two_bakeries)
    sign_in_buyer(client, north, OWNER)
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/locations/new",
            data={"name": "Station Kiosk", "address": "Platform 1"},
        ).status_code
        == 302
    )
    harbour = mine["locations"]["Harbour"]
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/locations/{harbour}",
            data={"name": "Harbour", "delivery_instructions": "Back door"},
        ).status_code
        == 302
    )
    home = client.get(f"/wholesale/{north.slug}/")
    assert b"Station Kiosk" in home.data


def test_an_owner_invites_a_colleague_who_accepts(app, client, two_bakeries, mailbox):
    north, _, mine, _ = _setup(app, two_bakeries)
    sign_in_buyer(client, north, OWNER)
    invited = client.post(
        f"/wholesale/{north.slug}/account/users",
        data={
            "first_name": "Cleo",
            "email": "cleo@cafe.example",
            "access_level": "location",
            "location_id": str(mine["locations"]["Harbour"]),
            "grants": ["view_orders"],
        },
    )
    assert invited.status_code == 302
    path = link_in(mailbox.messages[-1], "/invitation/")
    colleague = app.test_client()
    assert colleague.post(path, data={"password": "cleo-bakes-rye"}).status_code == 302
    home = colleague.get(f"/wholesale/{north.slug}/")
    assert b"Harbour" in home.data and b"Main Street" not in home.data
    assert colleague.get(f"/wholesale/{north.slug}/account/users").status_code == 403
    with tenant_session(app, north.id) as session:
        actions = list(session.scalars(select(CustomerActivity.action)))
    assert {"contact.added", "contact.invited", "contact.joined"} <= set(actions)


def test_an_owner_resends_revokes_and_removes_colleagues(app, client, two_bakeries, mailbox):
    north, south, mine, theirs = _setup(app, two_bakeries)
    pending = add_contact(
        app, north, mine["id"], email="p@cafe.example", status="not_invited", password=None
    )
    sign_in_buyer(client, north, OWNER)
    base = f"/wholesale/{north.slug}/account/users/{pending}"
    assert client.post(base + "/resend").status_code == 302
    first = link_in(mailbox.messages[-1], "/invitation/")
    client.post(base + "/resend")
    assert app.test_client().get(first).status_code == 410
    client.post(base + "/revoke")
    assert _contact(app, north, pending).status == "not_invited"
    client.post(base + "/remove")
    assert _contact(app, north, pending) is None
    # another customer's contact (same bakery) and another bakery's are not found
    stranger_customer = make_customer(app, north, "Other Café")
    stranger = add_contact(app, north, stranger_customer["id"], email="s@other.example")
    assert (
        client.post(f"/wholesale/{north.slug}/account/users/{stranger}/remove").status_code == 404
    )
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/users/{theirs['contact_id']}/remove"
        ).status_code
        == 404
    )
    assert _contact(app, north, stranger) is not None


def test_an_owner_cannot_change_themselves_or_promote_anyone(app, client, two_bakeries):
    north, _, mine, _ = _setup(app, two_bakeries)
    colleague = add_contact(app, north, mine["id"], email="c@cafe.example")
    sign_in_buyer(client, north, OWNER)
    me = client.post(f"/wholesale/{north.slug}/account/users/{mine['contact_id']}/remove")
    assert me.status_code == 302
    assert _contact(app, north, mine["contact_id"]) is not None
    edit = client.post(
        f"/wholesale/{north.slug}/account/users/{colleague}",
        data={
            "first_name": "C",
            "email": "c@cafe.example",
            "access_level": "organization",
            "grants": ["view_orders", "pay_invoices"],
            "is_owner": "y",
        },
    )
    assert edit.status_code == 302
    changed = _contact(app, north, colleague)
    assert changed.is_owner is False and changed.can_pay_invoices is True


def test_a_contact_without_manage_rights_cannot_post_user_changes(app, client, two_bakeries):
    north, _, mine, _ = _setup(app, two_bakeries)
    add_contact(
        app,
        north,
        mine["id"],
        email="c@cafe.example",
        grants=("view_orders", "create_orders", "edit_orders", "view_invoices", "pay_invoices"),
    )
    sign_in_buyer(client, north, "c@cafe.example")
    answer = client.post(f"/wholesale/{north.slug}/account/users/{mine['contact_id']}/remove")
    assert answer.status_code == 403
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/users",
            data={
                "first_name": "X",
                "email": "x@cafe.example",
                "access_level": "organization",
            },
        ).status_code
        == 403
    )
    assert _contact(app, north, mine["contact_id"]) is not None


def test_inviting_a_rival_customers_buyer_does_not_reveal_them(app, client, two_bakeries):
    north, south, mine, _ = _setup(app, two_bakeries)
    rival = make_customer(app, north, "Rival Roasters")
    add_contact(app, north, rival["id"], email="buyer@rival.example")
    add_contact(app, north, mine["id"], email="colleague@cafe.example")
    sign_in_buyer(client, north, OWNER)

    def invite(email):
        return client.post(
            f"/wholesale/{north.slug}/account/users",
            data={"first_name": "Sam", "email": email, "access_level": "organization"},
            follow_redirects=True,
        )

    rival_answer = invite("buyer@rival.example")
    fresh_answer = invite("fresh@cafe.example")
    # Both read as a success; nothing says the address is somebody else's.
    assert rival_answer.status_code == fresh_answer.status_code == 200
    assert "We've asked North Bakery to add buyer@rival.example" in page_text(rival_answer)
    assert "Rival" not in page_text(rival_answer) and b"can\xe2\x80\x99t" not in rival_answer.data
    assert "Invitation sent to fresh@cafe.example" in page_text(fresh_answer)
    with tenant_session(app, north.id) as session:
        rival_contact = session.scalar(
            select(Contact).where(Contact.email == "buyer@rival.example")
        )
        assert rival_contact.customer_id == rival["id"]  # untouched, not moved or copied
        requested = session.scalars(
            select(CustomerActivity).where(CustomerActivity.action == "contact.add_requested")
        ).all()
        assert [(a.customer_id, a.details["email"]) for a in requested] == [
            (mine["id"], "buyer@rival.example")
        ]
    own_answer = invite("colleague@cafe.example")
    assert own_answer.status_code == 422 and b"already uses this email" in own_answer.data
    # The other bakery's buyer with the same email is another identity: no clash at all.
    add_contact(app, south, make_customer(app, south, "South Cafe")["id"], email="new@x.example")
    assert "Invitation sent to new@x.example" in page_text(invite("new@x.example"))


def test_an_owner_renaming_an_invited_colleague_to_a_rivals_address_learns_nothing(
    app, client, two_bakeries
):
    north, _, mine, _ = _setup(app, two_bakeries)
    rival = make_customer(app, north, "Rival Roasters")
    add_contact(app, north, rival["id"], email="buyer@rival.example")
    colleague = add_contact(
        app, north, mine["id"], email="cleo@cafe.example", status="invited", password=None
    )
    sign_in_buyer(client, north, OWNER)
    answer = client.post(
        f"/wholesale/{north.slug}/account/users/{colleague}",
        data={"first_name": "Cleo", "email": "buyer@rival.example", "access_level": "organization"},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert "We've asked North Bakery to add buyer@rival.example" in page_text(answer)
    assert _contact(app, north, colleague).email == "cleo@cafe.example"


def test_an_owner_cannot_move_a_joined_colleagues_sign_in_to_another_inbox(
    app, client, two_bakeries
):
    north, _, mine, _ = _setup(app, two_bakeries)
    colleague = add_contact(app, north, mine["id"], email="c@cafe.example")
    sign_in_buyer(client, north, OWNER)
    moved = client.post(
        f"/wholesale/{north.slug}/account/users/{colleague}",
        data={"first_name": "C", "email": "mine@owner.example", "access_level": "organization"},
    )
    assert moved.status_code == 422
    assert "has already joined" in page_text(moved)
    assert _contact(app, north, colleague).email == "c@cafe.example"


def test_staff_changing_a_contacts_email_kills_links_sent_to_the_old_address(
    app, client, two_bakeries, mailbox
):
    from tests.support.factories import sign_in_staff

    north, _, mine, _ = _setup(app, two_bakeries)
    client.post(f"/wholesale/{north.slug}/forgot", data={"email": OWNER})
    old_link = link_in(mailbox.messages[-1], "/reset/")
    staff = app.test_client()
    sign_in_staff(staff, north)
    changed = staff.post(
        f"/admin/{north.slug}/customers/{mine['id']}/contacts/{mine['contact_id']}",
        data={
            "first_name": "Olivia",
            "email": "olivia@new-cafe.example",
            "access_level": "organization",
            "is_owner": "y",
        },
    )
    assert changed.status_code == 302
    assert _contact(app, north, mine["contact_id"]).email == "olivia@new-cafe.example"
    visitor = app.test_client()
    assert visitor.get(old_link).status_code == 410
    assert visitor.post(old_link, data={"password": "stolen-rye-pass"}).status_code == 422


def test_an_owner_deletes_a_delivery_location_but_not_the_last_or_an_assigned_one(
    app, client, two_bakeries
):
    from tenants.customers.models import DeliveryLocation

    north, south, mine, theirs = _setup(app, two_bakeries)
    main, harbour = mine["locations"]["Main Street"], mine["locations"]["Harbour"]
    add_contact(
        app, north, mine["id"], email="loc@cafe.example", access_level="location", location_id=main
    )
    sign_in_buyer(client, north, OWNER)
    page = client.get(f"/wholesale/{north.slug}/account/locations/{harbour}")
    # The button leads to the confirm step; only the confirm page's form posts.
    remove_url = f"/wholesale/{north.slug}/account/locations/{harbour}/remove"
    assert f'href="{remove_url}"' in page_text(page)
    assert f'action="{remove_url}"' not in page_text(page)
    confirm = page_text(client.get(remove_url))
    assert "Remove Harbour?" in confirm and f'action="{remove_url}"' in confirm
    assigned = client.post(
        f"/wholesale/{north.slug}/account/locations/{main}/remove", follow_redirects=True
    )
    assert "Main Street is assigned to 1 user(s) of your account" in page_text(assigned)
    # A refusal comes back to the location's own page, where the button was.
    assert assigned.request.path == f"/wholesale/{north.slug}/account/locations/{main}"
    removed = client.post(f"/wholesale/{north.slug}/account/locations/{harbour}/remove")
    assert removed.status_code == 302
    with tenant_session(app, north.id) as session:
        session.get(
            Contact, (north.id, _contact_id(session, "loc@cafe.example"))
        ).location_id = None
    last = client.post(
        f"/wholesale/{north.slug}/account/locations/{main}/remove", follow_redirects=True
    )
    assert "Main Street is your only delivery location" in page_text(last)
    assert last.request.path == f"/wholesale/{north.slug}/account/locations/{main}"
    with tenant_session(app, north.id) as session:
        assert set(session.scalars(select(DeliveryLocation.name))) == {"Main Street"}
        assert "location.removed" in set(session.scalars(select(CustomerActivity.action)))
    with tenant_session(app, south.id) as session:
        assert len(session.scalars(select(DeliveryLocation)).all()) == 2


def test_a_contact_without_edit_account_cannot_delete_a_location(app, client, two_bakeries):
    north, _, mine, _ = _setup(app, two_bakeries)
    harbour = mine["locations"]["Harbour"]
    add_contact(app, north, mine["id"], email="b@cafe.example")
    sign_in_buyer(client, north, "b@cafe.example")
    page = client.get(f"/wholesale/{north.slug}/account/locations/{harbour}")
    assert b"Delete this location" not in page.data
    refused = client.post(f"/wholesale/{north.slug}/account/locations/{harbour}/remove")
    assert refused.status_code == 403
    assert client.get(f"/wholesale/{north.slug}/account/locations/{harbour}").status_code == 200


def _contact_id(session, email):
    return session.scalar(select(Contact.id).where(Contact.email == email))


def test_wrong_current_passwords_are_throttled_and_the_right_one_works_after_the_window(
    app, client, two_bakeries
):
    from datetime import timedelta

    from freezegun import freeze_time

    north, south, _, _ = _setup(app, two_bakeries)
    url = f"/wholesale/{north.slug}/change-password"
    with freeze_time("2026-03-02 09:00:00") as clock:
        sign_in_buyer(client, north, OWNER)
        their_client = app.test_client()
        sign_in_buyer(their_client, south, OWNER)  # same email at the other bakery
        for _ in range(5):
            wrong = client.post(
                url, data={"current_password": "guess", "new_password": "fresh-baguette-1"}
            )
            assert wrong.status_code == 422
        right = {"current_password": "correct-horse-battery", "new_password": "fresh-baguette-1"}
        blocked = client.post(url, data=right)
        assert blocked.status_code == 429 and b"Too many wrong current passwords" in blocked.data
        # the other bakery's contact with the same email is not held back
        elsewhere = their_client.post(
            f"/wholesale/{south.slug}/change-password",
            data={**right, "new_password": "other-baguette-2"},
        )
        assert elsewhere.status_code == 302
        clock.tick(timedelta(minutes=16))
        assert client.post(url, data=right).status_code == 302
    sign_in_buyer(app.test_client(), north, OWNER, "fresh-baguette-1")


def test_removing_a_colleague_in_the_portal_waits_for_the_confirm_step(app, client, two_bakeries):
    north, south, mine, theirs = _setup(app, two_bakeries)
    colleague = add_contact(app, north, mine["id"], email="kit@cafe.example", first_name="Kit")
    sign_in_buyer(client, north, OWNER)
    url = f"/wholesale/{north.slug}/account/users/{colleague}/remove"
    users = page_text(client.get(f"/wholesale/{north.slug}/account/users"))
    assert f'href="{url}"' in users and f'action="{url}"' not in users
    confirm = page_text(client.get(url))
    assert "Remove Kit Buyer?" in confirm and f'action="{url}"' in confirm
    assert _contact(app, north, colleague) is not None
    foreign = f"/wholesale/{north.slug}/account/users/{theirs['contact_id']}/remove"
    assert client.get(foreign).status_code == 404
    neighbour = make_customer(app, north, "Other Café")
    theirs_here = add_contact(app, north, neighbour["id"], email="kit@other.example")
    other_customer = f"/wholesale/{north.slug}/account/users/{theirs_here}/remove"
    assert client.get(other_customer).status_code == 404
    assert client.post(url, data={"confirmed": "yes"}).status_code == 302
    assert _contact(app, north, colleague) is None
