"""The back office's customer pages: list, create, edit, portal toggle, suspension, locations,
contacts, permissions of staff roles, and viewing the portal as a customer."""

from freezegun import freeze_time
from sqlalchemy import select

from config.extensions import db
from tenants.customers.models import Contact, Customer, CustomerActivity, DeliveryLocation
from tests.support.factories import (
    add_contact,
    add_staff,
    make_bakery,
    make_customer,
    sign_in_staff,
    tenant_session,
)
from tests.support.queries import count_queries


def _activity(app, bakery) -> list[str]:
    with tenant_session(app, bakery.id) as session:
        return list(session.scalars(select(CustomerActivity.action)))


def test_the_customer_list_takes_the_same_number_of_queries_for_3_or_30_customers(
    app, client, two_bakeries
):
    north, south = two_bakeries
    for i in range(3):
        make_customer(app, north, f"Customer {i:02}")
        make_customer(app, south, f"Customer {i:02}")
    sign_in_staff(client, north)
    client.get(f"/admin/{north.slug}/customers")
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as few:
        small = client.get(f"/admin/{north.slug}/customers")
    for i in range(3, 30):
        customer = make_customer(app, north, f"Customer {i:02}")
        add_contact(app, north, customer["id"], email=f"c{i}@example.com")
    with count_queries(engine) as many:
        large = client.get(f"/admin/{north.slug}/customers")
    assert small.data.count(b"Customer ") == 3 and large.data.count(b"Customer ") == 30
    assert few.count > 0 and many.count == few.count


def test_the_list_shows_only_this_bakerys_customers(app, client, two_bakeries):
    north, south = two_bakeries
    make_customer(app, north, "Shared Name")
    make_customer(app, south, "Shared Name", locations=("A", "B", "C"))
    make_customer(app, south, "Only South")
    sign_in_staff(client, north)
    page = client.get(f"/admin/{north.slug}/customers")
    assert b"Shared Name" in page.data and b"Only South" not in page.data
    # North's two locations, not South's three
    assert b'<td data-label="Locations">2</td>' in page.data


def test_staff_create_and_edit_a_customer_with_ordering_settings(app, client, two_bakeries):
    north, south = two_bakeries
    make_customer(app, south, "Café Aurora")  # the same name at the other bakery is fine
    sign_in_staff(client, north)
    created = client.post(
        f"/admin/{north.slug}/customers/new",
        data={
            "business_name": "Café Aurora",
            "payment_terms": "net_30",
            "may_order_online": "y",
            "minimum_order": "45.505",
            "delivery_weekdays": ["0", "3"],
        },
    )
    assert created.status_code == 302
    duplicate = client.post(
        f"/admin/{north.slug}/customers/new",
        data={"business_name": "café aurora", "payment_terms": "net_30"},
    )
    assert duplicate.status_code == 422
    assert b"A customer with this business name exists." in duplicate.data
    with tenant_session(app, north.id) as session:
        customer = session.scalar(select(Customer).where(Customer.business_name == "Café Aurora"))
        assert customer.minimum_order_minor == 4551  # half-up
        assert customer.delivery_weekdays == [0, 3] and customer.payment_terms == "net_30"
        customer_id = customer.id
    edited = client.post(
        f"/admin/{north.slug}/customers/{customer_id}/edit",
        data={
            "business_name": "Café Aurora",
            "payment_terms": "net_7",
            "tax_number": "GB123",
            "order_approval_required": "y",
            "standing_orders_allowed": "y",
        },
    )
    assert edited.status_code == 302
    with tenant_session(app, north.id) as session:
        customer = session.get(Customer, (north.id, customer_id))
        assert (customer.payment_terms, customer.tax_number) == ("net_7", "GB123")
        assert customer.may_order_online is False and customer.order_approval_required
    assert {"customer.created", "customer.updated"} <= set(_activity(app, north))
    bad = client.post(
        f"/admin/{north.slug}/customers/{customer_id}/edit",
        data={"business_name": "Café Aurora", "payment_terms": "net_999"},
    )
    assert bad.status_code == 422


def test_the_portal_toggle_is_an_upgrade_prompt_without_the_tier_feature(app, client):
    starter = make_bakery(app, "starter-bakery", plan="starter")
    pro = make_bakery(app, "pro-bakery")
    mine = make_customer(app, starter, portal=False)
    make_customer(app, pro, portal=False)
    sign_in_staff(client, starter)
    page = client.get(f"/admin/{starter.slug}/customers/{mine['id']}")
    assert b"Compare plans and upgrade" in page.data
    assert b'<button type="button" disabled aria-describedby="portal-why">' in page.data
    refused = client.post(
        f"/admin/{starter.slug}/customers/{mine['id']}/portal", data={"enabled": "1"}
    )
    assert refused.status_code == 302
    with tenant_session(app, starter.id) as session:
        assert session.get(Customer, (starter.id, mine["id"])).portal_enabled is False


def test_staff_switch_the_portal_on_and_off_and_it_is_logged(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north, portal=False)
    theirs = make_customer(app, south, portal=False)
    sign_in_staff(client, north)
    client.post(f"/admin/{north.slug}/customers/{mine['id']}/portal", data={"enabled": "1"})
    with tenant_session(app, north.id) as session:
        assert session.get(Customer, (north.id, mine["id"])).portal_enabled
    with tenant_session(app, south.id) as session:
        assert not session.get(Customer, (south.id, theirs["id"])).portal_enabled
    client.post(f"/admin/{north.slug}/customers/{mine['id']}/portal", data={"enabled": "0"})
    assert _activity(app, north).count("portal.enabled") == 1
    assert "portal.disabled" in _activity(app, north)
    assert _activity(app, south) == []


def test_suspend_needs_a_reason_and_reactivate_lifts_it(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north)
    make_customer(app, south)
    sign_in_staff(client, north)
    client.post(f"/admin/{north.slug}/customers/{mine['id']}/suspend", data={"reason": ""})
    with tenant_session(app, north.id) as session:
        assert session.get(Customer, (north.id, mine["id"])).status == "active"
    client.post(
        f"/admin/{north.slug}/customers/{mine['id']}/suspend", data={"reason": "Unpaid invoices"}
    )
    page = client.get(f"/admin/{north.slug}/customers/{mine['id']}")
    assert b"Unpaid invoices" in page.data and b"Reactivate account" in page.data
    client.post(f"/admin/{north.slug}/customers/{mine['id']}/reactivate")
    with tenant_session(app, north.id) as session:
        assert session.get(Customer, (north.id, mine["id"])).status == "active"
    assert {"customer.suspended", "customer.reactivated"} <= set(_activity(app, north))


def test_staff_add_edit_and_remove_locations(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north, locations=())
    theirs = make_customer(app, south, locations=("Harbour",))
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{mine['id']}/locations/new"
    assert client.post(url, data={"name": "Harbour", "address": "1 Quay"}).status_code == 302
    assert client.post(url, data={"name": "harbour"}).status_code == 422
    with tenant_session(app, north.id) as session:
        [loc_id] = session.scalars(select(DeliveryLocation.id)).all()
    contact = add_contact(
        app, north, mine["id"], email="l@example.com", access_level="location", location_id=loc_id
    )
    edit = f"/admin/{north.slug}/customers/{mine['id']}/locations/{loc_id}"
    assert client.post(edit, data={"name": "Harbour Front"}).status_code == 302
    assert client.post(edit + "/remove").status_code == 302
    with tenant_session(app, north.id) as session:
        assert session.scalars(select(DeliveryLocation)).all() == []
        assert session.get(Contact, (north.id, contact)).location_id is None
    with tenant_session(app, south.id) as session:
        assert session.get(DeliveryLocation, (south.id, theirs["locations"]["Harbour"]))


def test_staff_add_a_contact_with_permissions_and_the_email_is_unique_per_bakery(
    app, client, two_bakeries
):
    north, south = two_bakeries
    mine = make_customer(app, north)
    theirs = make_customer(app, south)
    add_contact(app, south, theirs["id"], email="sam@cafe.example")
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{mine['id']}/contacts/new"
    data = {
        "first_name": "Sam",
        "email": "Sam@Cafe.example",
        "access_level": "location",
        "location_id": str(mine["locations"]["Harbour"]),
        "grants": ["view_orders", "view_invoices", "pay_invoices"],
        "is_billing": "y",
    }
    assert client.post(url, data=data).status_code == 302
    again = client.post(url, data={**data, "first_name": "Other"})
    assert again.status_code == 422 and b"Another contact at this bakery" in again.data
    foreign_location = client.post(
        url,
        data={
            **data,
            "email": "x@cafe.example",
            "location_id": str(theirs["locations"]["Harbour"]),
        },
    )
    assert foreign_location.status_code == 422
    no_location = client.post(url, data={**data, "email": "y@cafe.example", "location_id": ""})
    assert no_location.status_code == 422
    with tenant_session(app, north.id) as session:
        sam = session.scalar(select(Contact).where(Contact.email == "sam@cafe.example"))
        assert (sam.can_view_orders, sam.can_create_orders, sam.can_pay_invoices) == (
            True,
            False,
            True,
        )
        assert sam.status == "not_invited" and sam.is_billing
    page = client.get(f"/admin/{north.slug}/customers/{mine['id']}")
    assert b'data-state="not_invited"' in page.data and b"Send invitation" in page.data


def test_read_only_staff_see_customers_but_cannot_change_them(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north)
    make_customer(app, south)
    add_staff(app, north, email="acc@example.com", role="accounts")
    add_staff(app, north, email="prod@example.com", role="production")
    sign_in_staff(client, north, "acc@example.com")
    assert client.get(f"/admin/{north.slug}/customers/{mine['id']}").status_code == 200
    assert client.get(f"/admin/{north.slug}/customers/new").status_code == 403
    assert (
        client.post(
            f"/admin/{north.slug}/customers/{mine['id']}/suspend", data={"reason": "x"}
        ).status_code
        == 403
    )
    other = app.test_client()
    sign_in_staff(other, north, "prod@example.com")
    assert other.get(f"/admin/{north.slug}/customers").status_code == 403


def test_staff_view_the_portal_as_a_contact_read_only_and_it_is_logged(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north)
    make_customer(app, south)
    contact = add_contact(app, north, mine["id"], email="sam@cafe.example", is_owner=True)
    sign_in_staff(client, north)
    started = client.post(f"/admin/{north.slug}/customers/{mine['id']}/contacts/{contact}/view-as")
    assert started.headers["Location"] == f"/wholesale/{north.slug}/"
    home = client.get(f"/wholesale/{north.slug}/")
    assert home.status_code == 200 and b"Read-only view." in home.data
    assert (
        client.post(
            f"/wholesale/{north.slug}/account/company", data={"tax_number": "HACKED"}
        ).status_code
        == 403
    )
    # the staff cookie does not open the other bakery's portal
    assert client.get(f"/wholesale/{south.slug}/").status_code == 302
    back = client.post(f"/wholesale/{north.slug}/viewing/stop")
    assert back.headers["Location"] == f"/admin/{north.slug}/customers/{mine['id']}"
    assert client.get(f"/wholesale/{north.slug}/").status_code == 302
    with tenant_session(app, north.id) as session:
        assert session.get(Customer, (north.id, mine["id"])).tax_number == ""
    assert "portal.viewed_as" in _activity(app, north)


def test_viewing_the_portal_as_a_contact_lapses_after_an_hour(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north)
    make_customer(app, south)
    contact = add_contact(app, north, mine["id"], email="sam@cafe.example", is_owner=True)
    with freeze_time("2026-11-30 09:00:00") as frozen:
        sign_in_staff(client, north)
        client.post(f"/admin/{north.slug}/customers/{mine['id']}/contacts/{contact}/view-as")
        frozen.tick(59 * 60)
        assert client.get(f"/wholesale/{north.slug}/").status_code == 200
        frozen.tick(2 * 60)
        assert client.get(f"/wholesale/{north.slug}/").status_code == 302
        assert client.get(f"/admin/{north.slug}/").status_code == 200  # still signed in as staff


def test_staff_disable_enable_and_remove_contacts(app, client, two_bakeries):
    from tests.support.factories import sign_in_buyer

    north, south = two_bakeries
    mine = make_customer(app, north)
    theirs = make_customer(app, south)
    contact = add_contact(app, north, mine["id"], email="sam@cafe.example")
    add_contact(app, south, theirs["id"], email="sam@cafe.example")
    buyer = app.test_client()
    sign_in_buyer(buyer, north, "sam@cafe.example")
    sign_in_staff(client, north)
    base = f"/admin/{north.slug}/customers/{mine['id']}/contacts/{contact}"
    assert client.post(base + "/disable").status_code == 302
    assert buyer.get(f"/wholesale/{north.slug}/").status_code == 302  # signed out
    page = client.get(f"/admin/{north.slug}/customers/{mine['id']}")
    assert b'data-state="disabled"' in page.data
    client.post(base + "/enable")
    sign_in_buyer(buyer, north, "sam@cafe.example")
    client.post(base + "/remove")
    assert buyer.get(f"/wholesale/{north.slug}/").status_code == 302
    with tenant_session(app, north.id) as session:
        assert session.get(Contact, (north.id, contact)) is None
    sign_in_buyer(app.test_client(), south, "sam@cafe.example")
    assert {"contact.disabled", "contact.enabled", "contact.removed"} <= set(_activity(app, north))


def test_a_minimum_order_too_big_for_the_column_is_refused_next_to_the_field(
    app, client, two_bakeries
):
    from tenants.customers.services import clean_fields
    from tenants.errors import ValidationFailed

    north, _ = two_bakeries
    sign_in_staff(client, north)
    response = client.post(
        f"/admin/{north.slug}/customers/new",
        data={
            "business_name": "Café Aurora",
            "payment_terms": "net_30",
            "minimum_order": "99999999999",
        },
    )
    assert response.status_code == 422 and b'id="minimum_order-error">' in response.data
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(Customer.id)) is None
    try:
        clean_fields({"minimum_order_minor": 99_999_999_999})
    except ValidationFailed as exc:
        assert exc.field == "minimum_order_minor"
    else:
        raise AssertionError("a minimum beyond the integer column was accepted")


def test_a_new_billing_contact_can_view_and_pay_invoices_by_default(app, client, two_bakeries):
    north, south = two_bakeries
    mine = make_customer(app, north)
    make_customer(app, south)
    sign_in_staff(client, north)
    url = f"/admin/{north.slug}/customers/{mine['id']}/contacts/new"
    page = client.get(url)
    nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page.get_data(as_text=True)
    base = {"first_name": "Bo", "access_level": "organization"}
    # the buyer defaults the form opened with, left untouched, and "billing contact" ticked
    untouched = ["view_orders", "create_orders", "edit_orders"]
    client.post(
        url, data={**base, "email": "bo@cafe.example", "is_billing": "y", "grants": untouched}
    )
    # a deliberate choice is kept as it is
    client.post(
        url,
        data={**base, "email": "cy@cafe.example", "is_billing": "y", "grants": ["view_invoices"]},
    )
    # a buyer with the buyer defaults stays a buyer
    client.post(url, data={**base, "email": "di@cafe.example", "grants": untouched})
    with tenant_session(app, north.id) as session:
        perms = {
            c.email: (
                c.can_view_orders,
                c.can_create_orders,
                c.can_view_invoices,
                c.can_pay_invoices,
            )
            for c in session.scalars(select(Contact))
        }
    assert perms == {
        "bo@cafe.example": (True, False, True, True),
        "cy@cafe.example": (False, False, True, False),
        "di@cafe.example": (True, True, False, False),
    }
